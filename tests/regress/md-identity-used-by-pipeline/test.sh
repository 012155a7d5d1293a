# The Markdown Identities row said "0 workloads | -" for a cloud role a pull_request_target workflow
# assumes, in the report whose critical TM-CLOUD-004 says a pull request reaches it as administrator.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
row=$(grep '^| `identity:aws:gh-deploy`' "$WORK/out") || { cat "$WORK/out" >&2; fail "no identity row"; }
case "$row" in
  *"| pipeline pr.yml |"*"| administrator (arn:aws:iam::aws:policy/AdministratorAccess) |"*) ;;
  *) fail "identity row: $row" ;;
esac
exit 0
