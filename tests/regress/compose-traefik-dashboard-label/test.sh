# Traefik's dashboard routed by Docker-provider labels (a router whose service label is
# api@internal, on Traefik's own container) was not modelled: no dashboard route on the gateway,
# no TM-MESH-008, and Traefik's own labels were skipped altogether. Such a router is now the same
# dashboard_routes fact a dynamic file's router to api@internal makes (", no authentication" when no
# middleware checks the caller), its tls label counts, and no route to a container is drawn for it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/open" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
g = next(n for n in d["model"]["nodes"] if n["id"] == "gateway:traefik:compose.yaml#edge")
assert g.get("dashboard_routes") == ["router console, no authentication"], g
assert g["tls"] is True, g
m8 = [f for f in d["findings"] if f["rule"] == "TM-MESH-008"]
assert len(m8) == 1 and m8[0]["severity"] == "high", [f["title"] for f in m8]
assert "router console to api@internal" in m8[0]["title"], m8[0]["title"]
assert m8[0]["evidence"][0]["path"] == "compose.yaml", m8[0]["evidence"]
# the dashboard router is no route to a container; shop's router still is
to = {e["to"] for e in d["model"]["edges"] if e["from"] == g["id"] and e["kind"] == "routes"}
assert to == {"service:compose:default/shop"}, to
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/guarded" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
g = next(n for n in d["model"]["nodes"] if n["id"] == "gateway:traefik:compose.yaml#edge")
assert g.get("dashboard_routes") == ["router console"], g
assert not [f for f in d["findings"] if f["rule"] == "TM-MESH-008"], [f["title"] for f in d["findings"]]
assert not [e for e in d["model"]["edges"] if e["from"] == g["id"] and e["kind"] == "routes"]
PY
exit 0
