# Kong routes one backend twice: /orders/health (no plugin) and /orders (key-auth). The gateway's
# edge to the backend keeps the weaker check, and `query can internet orders --path /orders/123`
# read that edge: ALLOW (200) by defaults, though /orders/123 is only /orders's and key-auth
# refuses it. Each route's own check is kept on the edge (route_checks) and the route that takes
# the path decides.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can internet orders --path /orders/123 "$CASE/in" --no-store --no-cache
expect_exit 0 1
grep -q "^DENY (401)" "$WORK/out" && grep -q "key-auth" "$WORK/out" || { cat "$WORK/out" >&2; fail "expected DENY (401) by key-auth"; }
run_bounded 60 "$TRUSTMAP" query can internet orders --path /orders/health "$CASE/in" --no-store --no-cache
expect_exit 0 1
grep -q "^ALLOW" "$WORK/out" || { cat "$WORK/out" >&2; fail "expected /orders/health ALLOW"; }
exit 0
