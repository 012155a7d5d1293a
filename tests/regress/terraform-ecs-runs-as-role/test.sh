# The md services table said "runs as -" for an ECS service whose task role resolves (the runs-as
# edge to the role exists): the role is named as a Kubernetes workload's service account is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
row=$(grep '^| `orders` | EcsService' "$WORK/out") || fail "no services row for orders"
case "$row" in
  *'| `orders-task-role` |'*) ;;
  *) fail "runs as is not the task role: $row" ;;
esac
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
grep -q '"runs-as"' "$WORK/out" || fail "the runs-as edge is gone"
