# An AuthorizationPolicy attached to a Gateway API Gateway by targetRefs (as Istio asks instead of a
# selector on the gateway's pods: analyzer message IST0166) was evaluated as if it applied to the
# whole namespace: a call between two workloads inside the mesh was refused by a policy Istio
# enforces only at the gateway, hiding the internal path. Now it applies at the gateway's pods (a
# stand-in labelled gateway.networking.k8s.io/gateway-name when they are not scanned), to
# requests from the internet through it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can shop/worker shop/web --path /admin/users "$CASE/in"
head -c 5 "$WORK/out" | grep -q ALLOW || fail "inside the mesh, the gateway's policy applied: $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can internet shop/web --path /admin/users "$CASE/in"
head -c 4 "$WORK/out" | grep -q DENY || fail "through the gateway, its policy did not apply: $(head -3 "$WORK/out")"
grep -q "no-admin-from-outside" "$WORK/out" || fail "the deny is not the attached policy's: $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can internet shop/web --path /shop "$CASE/in"
head -c 5 "$WORK/out" | grep -q ALLOW || fail "another path through the gateway: $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
grep -q "attached to Gateway shop-gateway" "$WORK/out" || fail "the note on where the policy applies is missing"
exit 0
