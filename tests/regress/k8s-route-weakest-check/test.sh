# Routes of one object to one Service share an edge, and the edge took the checks of the last route
# written: an IngressRoute routing /admin through an office-only allow-list and / openly to the
# same Service made it look reachable from private ranges only, with a password (a false negative
# on internet exposure). The edge now keeps the weakest check among the routes, as gateway.c's do,
# whatever their order.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
for gw in ("gateway:ingressroute:web/site", "gateway:ingressroute:web/site2"):
    e = edges[(gw, "service:web/app")]
    assert e.get("private_sources_only") is not True, e
    assert e["authn"] != "basic" and e["enforced_at"] != "gateway", e
    assert e["allow_lists"] and e["authn_checks"], e  # still listed: a route has them
assert d["exposure"]["service:web/app"] == "internet", d["exposure"]
PY
exit 0
