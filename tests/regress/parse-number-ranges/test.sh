# Numbers from input were converted before they were range-checked: a JSON real like 1e110 went
# to int64_t (undefined behaviour, json.c), NetworkPolicy ports to int unchecked. Run under UBSan
# by the sanitizer suite; the policy with out-of-range ports is refused, as the API server would.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json
expect_exit 0 1
grep -q '"/items"' "$WORK/out" || fail "the spec was not read"
grep -q 'port out of range' "$WORK/err" || fail "out-of-range ports not diagnosed"
exit 0
