# Report wording that misled (trials AF-3, AF-5, AH-6): the Markdown report said "No entry point
# found: nothing in the inputs is exposed" right below its own "Incomplete" line (a release of a
# remote chart is not modelled); an ApplicationSet with only a Git directory generator was said to
# generate "from its list and Git directory generators"; "1 entry point" stood above a table of
# several ways in from the internet.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/remote" --format md --no-store --no-cache
expect_exit 0 1
grep -q "No entry point found in what is modelled" "$WORK/out" || fail "remote: no qualifier"
grep -q "nothing in the inputs is exposed" "$WORK/out" && fail "remote: unqualified claim"
run_bounded 60 "$TRUSTMAP" scan "$CASE/appset" --format json --no-store --no-cache
expect_exit 0 1
grep -q "generates 1 Application from its Git directory generator" "$WORK/out" || fail "appset: generator wording"
grep -q "list and Git directory generators" "$WORK/out" && fail "appset: names a list generator"
run_bounded 60 "$TRUSTMAP" scan "$CASE/ways" --format md --no-store --no-cache
expect_exit 0 1
grep -q "1 entry point (2 ways in from it)" "$WORK/out" || fail "ways: count of ways in"
exit 0
