# query who-can-call printed "names no workload or Service" whatever the resolver said: with
# 'productpage' in two namespaces (first seen on Bookinfo, whose variants declared it several times
# before variants were told apart) the name is ambiguous, and that is what it must say, as query can does.
. "$(dirname "$0")/../lib.sh"
BOOKINFO="$CASE/in"
run_bounded 60 "$TRUSTMAP" query can internet productpage "$BOOKINFO"
expect_exit 2
grep -q "ambiguous" "$WORK/err" || { cat "$WORK/err" >&2; fail "query can: expected the resolver's 'ambiguous'"; }
run_bounded 60 "$TRUSTMAP" query who-can-call productpage "$BOOKINFO"
expect_exit 2
grep -q "'productpage' is ambiguous: name the namespace" "$WORK/err" \
  || { cat "$WORK/err" >&2; fail "who-can-call: expected the resolver's reason (ambiguous)"; }
if grep -q "names no workload or Service" "$WORK/err"; then fail "who-can-call: still says the name matches nothing"; fi
# an unknown name still says so
run_bounded 60 "$TRUSTMAP" query who-can-call no-such-service "$BOOKINFO"
expect_exit 2
grep -q "'no-such-service' names no workload or Service" "$WORK/err" || { cat "$WORK/err" >&2; fail "unknown name"; }
exit 0
