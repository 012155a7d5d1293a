# query who-can-call printed "names no workload or Service" whatever the resolver said: on Bookinfo,
# 'productpage' is ambiguous (several variants of the sample declare it), and that is what it must say,
# as query can does.
. "$(dirname "$0")/../lib.sh"
CORPUS="$CASE/../../../../shared/corpus"
BOOKINFO="$CORPUS/istio/samples/bookinfo"
[ -d "$BOOKINFO" ] || { echo "skip: no corpus at $CORPUS" >&2; exit 77; }
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
