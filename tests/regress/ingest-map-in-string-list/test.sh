# A map or list where an ingester expects a string (tm_scalar_str() is NULL there) reached the
# model's list_add: an HTTPRoute with hostnames [a.example, {}] and a Terraform plan with
# vpc_security_group_ids ["sg-1", {}] crashed; with [{}] first the scan stopped as "out of memory"
# (exit 3, no report).
. "$(dirname "$0")/../lib.sh"
for sys in gateway terraform-second terraform-first; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/$sys" --format json
  expect_exit 0 1
  grep -q '"schema"' "$WORK/out" || fail "$sys: no JSON report"
  grep -qi 'out of memory' "$WORK/err" && fail "$sys: reported out of memory"
done
# the string items are still read
"$TRUSTMAP" scan "$CASE/gateway" --format json | grep -q '"a.example"' || fail "gateway: host a.example lost"
exit 0
