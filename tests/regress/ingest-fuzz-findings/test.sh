# Found by the fuzz campaign (fuzz_terraform, fuzz_k8s). A Terraform role whose assume_role_policy
# has no "Statement", and a role policy statement with no "Action", dereferenced NULL
# (tm_value_kind_of on an absent key): the release scan died with SIGSEGV. An aggregated ClusterRole
# selecting a role with no rules passed NULL to memcpy (undefined behaviour under UBSan).
. "$(dirname "$0")/../lib.sh"
for sys in terraform-no-statement terraform-no-action rbac-empty-aggregated; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/$sys" --format json
  expect_exit 0 1
  grep -q '"schema"' "$WORK/out" || fail "$sys: no report"
done
exit 0
