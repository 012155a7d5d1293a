# An operator's resource that names no namespace was put into the one Namespace the files declare
# without a word, where a Deployment gets "assumed namespace ..." among the report's assumptions.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
grep -q "service:cache/sessions.: assumed namespace 'cache'" "$WORK/out" || fail "no assumption: $(grep -A3 'Unresolved assumptions' "$WORK/out")"
exit 0
