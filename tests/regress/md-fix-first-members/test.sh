# The Markdown "Fix first" list stopped at the first change that closes a single finding: a lone
# critical ranked above a fold of three mediums and lows left the list empty under its heading. And a
# folded finding's elements were counted at the fold's severity, not their own ("3 medium" for two
# mediums and a low).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store
expect_exit 0 1
fix=$(sed -n '/^### Fix first/,/^### Each/p' "$WORK/out")
echo "$fix" | grep -q '^1\. Check ownership' || fail "fix first: the fold of TM-API-002 is not listed: $fix"
echo "$fix" | grep -q 'closes 3 (0 critical, 0 high, 2 medium, 1 low)' ||
  fail "fix first: the elements are not counted at their own severity: $fix"
exit 0
