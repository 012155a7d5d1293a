# The report shows a compose project as the service's namespace ("shop"), and query.md takes
# `ns/name`, but `query can internet shop/web` answered "names no workload or Service" (only
# `compose:shop/web` worked), and the step said "no networkpolicy selects compose:shop/web", a
# policy kind compose does not have.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can internet shop/web "$CASE/in" --no-store --no-cache
expect_exit 0 1
grep -q "^ALLOW" "$WORK/out" || { cat "$WORK/out" "$WORK/err" >&2; fail "expected ALLOW"; }
grep -q "compose has no network policy" "$WORK/out" || { cat "$WORK/out" >&2; fail "expected the compose step"; }
exit 0
