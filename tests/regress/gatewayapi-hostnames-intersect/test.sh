# A Gateway API route whose hostnames no listener's hostname intersects was attached all the same
# (the Gateway API accepts a route on a listener only where their hostnames intersect; conformance
# tests httproute-hostname-intersection, tlsroute-invalid-no-matching-listener-hostname): service
# shop/admin came out exposed through the gateway. Now it is not routed, with a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "route hostnames (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
routed = {e["to"] for e in j["model"]["edges"] if e["from"] == "gateway:gwapi:shop/public" and e["kind"] == "routes"}
bad = []
if "service:shop/admin" in routed:
    bad.append("admin (a hostname no listener serves) is routed")
if "service:shop/web" not in routed:
    bad.append("web (www under the listener's wildcard) is not routed: %s" % sorted(routed))
if not any("hostname intersects the hostnames of HTTPRoute 'admin'" in d["message"] for d in j["diagnostics"]):
    bad.append("the refused route is not said")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
