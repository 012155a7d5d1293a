# One Spring application's profile files (application.yml and application-docker.yml; a config
# server's gateway-service.yml and gateway-service-docker.yml) were two gateways on the one workload,
# and TM-MESH-013 said "2 gateways ... serve the internet without TLS". Spring merges them: one
# gateway now, its routes from both files, the second file named in also_configured_in.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
gws = [n for n in d["model"]["nodes"] if n["kind"] == "gateway"]
assert len(gws) == 1, [g["id"] for g in gws]
g = gws[0]
assert g["hosted_by"] == ["service:compose:default/gateway"], g
assert len(g.get("also_configured_in", [])) == 1, g
to = {e["to"] for e in d["model"]["edges"] if e["kind"] == "routes" and e["from"] == g["id"]}
assert {"service:compose:default/orders", "service:compose:default/billing"} <= to, to
m13 = [f for f in d["findings"] if f["rule"] == "TM-MESH-013"]
assert all("2 gateways" not in f["title"] for f in m13), m13
PY
exit 0
