# A Traefik stack (Swarm mode, docker.sock) routes services of other stacks that join its external
# network, by their deploy.labels (dockerswarm.rocks' traefik-public). Each stack was modelled on
# its own: no route, and with deploy.labels not even the "carry Traefik labels" note, so Grafana
# (admin/admin) read as unreachable. Now the route is drawn across the projects over the shared
# network, resolved in the routed stack; a labelled service on no network of Traefik's (loki) is
# not routed, and a stack sharing no network gets the note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/stacks" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "stacks: see above"
import json, sys
d = json.load(open(sys.argv[1]))
gw = "gateway:traefik:proxy.yml#traefik"
r = [e for e in d["model"]["edges"] if e["kind"] == "routes" and e["from"] == gw]
assert [e["to"] for e in r] == ["service:compose:default[metrics]/grafana"], r
assert r[0]["hosts"] == ["dash.example.org"] and r[0]["evidence"][0]["path"] == "metrics.yml", r
assert d["exposure"].get("service:compose:default[metrics]/grafana") == "internet", d["exposure"]
assert d["exposure"].get("service:compose:default[metrics]/loki") != "internet", d["exposure"]
g = [n for n in d["model"]["nodes"] if n["id"] == gw][0]
assert g["routes_other_projects"] == ["compose project default[metrics] over network edge-public"], g
assert any(f["rule"] == "TM-MESH-012" for f in d["findings"]), [f["rule"] for f in d["findings"]]
assert not [x for x in d["diagnostics"] if "carry Traefik labels" in x["message"]], d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/apart" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "apart: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [e for e in d["model"]["edges"] if e["kind"] == "routes" and e["from"].startswith("gateway:traefik")], "routed"
m = [x["message"] for x in d["diagnostics"] if "carry Traefik labels" in x["message"]]
assert m and "project default[proxy] runs Traefik" in m[0] and "understated" in m[0], [x["message"] for x in d["diagnostics"]]
PY
exit 0
