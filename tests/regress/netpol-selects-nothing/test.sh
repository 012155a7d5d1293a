# A policy that selects no pod isolates nothing, and nothing said so: sock-shop's cart-access selects
# `name: cart` where the pods say `name: carts` (the carts pods stay open), and microservices-demo
# shipped its policies in namespace YOUR_NAMESPACE, a placeholder kubectl refuses. A note per policy
# that selects no pod of a namespace with workloads, one note per namespace without any, and one
# warning per namespace name the API server refuses.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
m = [(x["severity"], x["message"]) for x in d["diagnostics"]]
assert any(s == "note" and "shop/cart-access selects no scanned pod" in t and "label name" in t for s, t in m), m
idle = [t for s, t in m if "where no scanned workload runs" in t]
assert len(idle) == 1 and "and 1 more" in idle[0], idle
bad = [t for s, t in m if s == "warning" and "'YOUR_NAMESPACE' is no name the API server takes" in t]
assert len(bad) == 1, m
PY
exit 0
