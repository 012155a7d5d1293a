# A Traefik static configuration that leaves entryPoints to Traefik's defaults (api.insecure, log,
# providers.file, as oauth2-proxy's local environment writes it) was skipped as "no recognised
# document", so its open API and dashboard, published 8081->8080 by the compose service that mounts
# the directory, raised no TM-MESH-008. Its other top-level sections now recognise it, when every
# top-level key is a section of Traefik's static configuration and one is written as only Traefik
# writes it; an application's or a tool's own `api:` and `log:` settings are still not Traefik's.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
kinds = {i["path"]: i["kind"] for i in d["inputs"]}
assert kinds.get("edge/proxy/traefik.yml") == "gateway-config", kinds
assert kinds.get("app/settings.yaml") != "gateway-config", kinds
skipped = {s["path"] for s in d["skipped"]}
assert "app/tracing.yaml" in skipped, d["skipped"]
m8 = [f for f in d["findings"] if f["rule"] == "TM-MESH-008"]
assert len(m8) == 1 and m8[0]["severity"] == "high", [f["title"] for f in m8]
assert "8081->8080" in m8[0]["title"] and "service:compose:edge/proxy" in m8[0]["title"], m8[0]["title"]
assert any(e["path"] == "edge/proxy/traefik.yml" for e in m8[0]["evidence"]), m8[0]["evidence"]
PY
exit 0
