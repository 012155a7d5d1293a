# Health and info probes were HIGH "discovery/debug/actuator exposed" (TM-API-010) for
# /actuator/health while /healthz got nothing, and the API's own description (/openapi.json) was
# HIGH while /docs, the UI over it, got nothing. Probes (health, info, liveness, readiness) are not
# reported; the description and its UI are low alike; /actuator/env stays high.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "TM-API-010"]
text = json.dumps(f)
for probe in ("/actuator/health", "/actuator/info", "/healthz"):
    assert "GET %s " % probe not in text and "GET %s\"" % probe not in text, (probe, text)
env = [x for x in f if "/actuator/env" in x["title"]]
assert len(env) == 1 and env[0]["severity"] == "high", f
desc = [x for x in f if "description" in x["title"]]
assert len(desc) == 1 and desc[0]["severity"] == "low", f
for p in ("/openapi.json", "/v3/api-docs", "/docs"):
    assert any(p in json.dumps(x) for x in desc), (p, desc)
PY
exit 0
