# An aws_lb with `internal = false` written out, and a kubernetes_ingress_v1 with
# alb.ingress.kubernetes.io/scheme = internet-facing, were listed under "Unresolved assumptions"
# as assumed reachable from the internet: only an undecided value is an assumption (the aws_lb
# whose internal is a variable without a value stays one).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
sed -n '/^### Unresolved assumptions/,/^### /p' "$WORK/out" >"$WORK/assumed"
for name in 'gateway:aws-alb:shop-public' 'gateway:store/web'; do
  grep -F "$name" "$WORK/assumed" | grep -q 'assumed' && fail "$name written and still assumed: $(cat "$WORK/assumed")"
done
grep -F 'gateway:aws-alb:shop-maybe' "$WORK/assumed" | grep -q 'internet' \
  || fail "the undecided load balancer's assumption is gone: $(cat "$WORK/assumed")"
exit 0
