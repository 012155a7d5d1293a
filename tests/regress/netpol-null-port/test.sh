# A NetworkPolicy port left empty (`- port:`, as grafana's tempo chart renders its default
# service.targetPort "") matches every port, as an unset one does; it was read as a port named ""
# that matches nothing, so the policy "blocked" everything it admits (query DENY, who-can-call
# "0 of 2 sources", the Ingress route to tempo-query denied).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can shop/web api.shop:80 "$CASE/in" --no-store --no-cache
expect_exit 0 1
grep -q "^ALLOW" "$WORK/out" || { cat "$WORK/out" >&2; fail "expected ALLOW"; }
exit 0
