# A gateway kept one assumption: an Ingress written without a namespace said "assumed namespace
# 'default'" and dropped "assumed reachable from the internet (its controller's exposure is not in
# the inputs)" (Kong and Emissary examples); a Gateway API Gateway the other way round. Both are
# stated now.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
grep -q "namespace 'default'" "$WORK/out" || grep -q "namespace \`default\`" "$WORK/out" || fail "the namespace assumption is missing"
grep -q "its controller's exposure is not in the inputs" "$WORK/out" || fail "the exposure assumption is missing"
exit 0
