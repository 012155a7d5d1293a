# A DestinationRule with trafficPolicy.tls.mode DISABLE for httpbin makes sleep's sidecar send
# plaintext, so httpbin sees no peer identity and its AuthorizationPolicy (principal sa/sleep only)
# refuses: 403. query said ALLOW with "mutual tls, peer identity known", the DestinationRule
# unmentioned.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can foo/sleep httpbin.foo:8000 "$CASE/in" --no-store --no-cache
expect_exit 0 1
grep -q "^DENY (403)" "$WORK/out" && grep -q "tls mode DISABLE" "$WORK/out" || { cat "$WORK/out" >&2; fail "expected 403 and the DestinationRule step"; }
exit 0
