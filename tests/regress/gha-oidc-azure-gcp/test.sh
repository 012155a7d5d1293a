# An Azure (azure/login client-id, here named by a variable) or Google (google-github-actions/auth
# service_account) OIDC login of a pull_request_target / issue_comment workflow was no cloud role:
# no deploys edge, no TM-CLOUD-004, TM-CICD-001 high, and `paths --from ci` reached nothing; AWS's
# role-to-assume already was one. The Azure identity is the one whose federated credential trusts
# GitHub's tokens (its subject becomes trusted_subjects).
. "$(dirname "$0")/../lib.sh"
for d in azure gcp; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$d" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$d.json"
done
python3 - "$WORK/azure.json" "$WORK/gcp.json" <<'PY' || fail "see above"
import json, sys
for path, ident, via in ((sys.argv[1], "identity:azure:gh-deploy", "azure/login"),
                         (sys.argv[2], "identity:gcp:deployer", "google-github-actions/auth")):
    d = json.load(open(path))
    edges = [e for e in d["model"]["edges"] if e["kind"] == "deploys" and e["to"] == ident]
    assert edges and edges[0]["from"].startswith("pipeline:") and edges[0].get("via") == via, (path, d["model"]["edges"])
    rules = {(f["rule"], f["severity"]) for f in d["findings"]}
    assert ("TM-CICD-001", "critical") in rules, (path, rules)
    assert ("TM-CLOUD-004", "critical") in rules, (path, rules)
az = json.load(open(sys.argv[1]))
node = [n for n in az["model"]["nodes"] if n["id"] == "identity:azure:gh-deploy"][0]
assert node.get("trusted_subjects") == ["repo:acme/app:pull_request"], node
PY
run_bounded 60 "$TRUSTMAP" paths "$CASE/in/azure" --no-cache --from ci
expect_exit 0 1
grep -q "identity:azure:gh-deploy" "$WORK/out" || { cat "$WORK/out" >&2; fail "paths --from ci does not reach the Azure identity"; }
exit 0
