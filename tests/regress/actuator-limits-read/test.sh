# TM-API-010 read management.endpoints.web.exposure.include alone: include=* with exclude=* (nothing
# served) was a high "(*)", an exclude list taking every endpoint Spring Boot has was still "(*)",
# management.server.port=-1 (no HTTP endpoint) was "exposed on management port -1", and endpoints
# off by default were counted on. Now what is left is what is weighed and named.
. "$(dirname "$0")/../lib.sh"
for d in star list port off; do
	run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$d" --format json --no-store --no-cache
	expect_exit 0 1
	cp "$WORK/out" "$WORK/$d.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
def act(n):
    d = json.load(open(f"{sys.argv[1]}/{n}.json"))
    return [f for f in d["findings"] if f["rule"] == "TM-API-010"]
assert act("star") == [], act("star")
assert act("port") == [], act("port")
f = act("list")
assert len(f) == 1 and f[0]["severity"] == "medium", f
assert "left after exclude and enabled settings: gateway, jolokia" in f[0]["title"] and "each only where its module" in f[0]["title"], f
f = act("off")
assert len(f) == 1 and f[0]["severity"] == "high" and "left after exclude and enabled settings: env;" not in f[0]["title"], f
assert "left after exclude and enabled settings: env" in f[0]["title"] and "heapdump" not in f[0]["title"].split("left after")[1], f
PY
exit 0
