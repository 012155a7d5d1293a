# who-can-call listed only the sources a verdict allows, so a source the files cannot decide (an
# Istio CUSTOM policy hands the decision to an external authorizer; a Linkerd proxy the files do not
# show) vanished: "0 of 2 sources can call" read as a lock-down. Undecided sources are listed
# apart (text, and `callers_undecided` in JSON).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query who-can-call foo/httpbin --path /headers "$CASE/in" --no-store --no-cache
expect_exit 0 1
grep -q "1 more the files cannot decide.*service:foo/sleep" "$WORK/out" || { cat "$WORK/out" >&2; fail "expected sleep as undecided"; }
run_bounded 60 "$TRUSTMAP" query who-can-call foo/httpbin --path /headers "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 -c "
import json
d = json.load(open('$WORK/out'))
assert d['callers_undecided'] == ['service:foo/sleep'], d" || fail "json: see above"
exit 0
