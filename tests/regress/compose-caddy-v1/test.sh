# A Caddy 1 Caddyfile (`proxy FROM TO`, `basicauth / USER PASS`: swarmprom's) gave a gateway with no
# routes and no word that `proxy` was not read, so Grafana behind it read as unreachable and the
# gateway as serving nothing. A file with `proxy` is read as Caddy 1 (proxy with its upstream
# lines, basicauth on `/`), with a note that says so.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
r = {e["to"]: e for e in d["model"]["edges"] if e["kind"] == "routes" and e["from"] == "gateway:caddy:caddy/Caddyfile"}
assert sorted(r) == ["service:compose:default/grafana", "service:compose:default/prometheus"], sorted(r)
assert r["service:compose:default/grafana"]["authn"] == "none", r
assert r["service:compose:default/prometheus"]["authn"] == "basic", r
assert any(f["rule"] == "TM-MESH-012" and "grafana" in f["title"] for f in d["findings"]), [f["title"] for f in d["findings"]]
assert [x for x in d["diagnostics"] if "Caddy 1" in x["message"] and x["line"] == 2], d["diagnostics"]
PY
exit 0
