# Typed lists (RoleList, RoleBindingList, ClusterRoleList, ServiceList...) were "recognised, not
# modelled": kube-prometheus ships its per-namespace Roles and RoleBindings as RoleList and
# RoleBindingList, so the identity read as having no grants at all. kubectl applies any list's items
# one by one, as trustmap already did for kind: List.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not d["skipped"], d["skipped"]
ident = next(n for n in d["model"]["nodes"] if n["id"] == "identity:k8s:monitoring/app")
assert "read-secrets (in namespace prod)" in ident["scope"], ident["scope"]
assert "pod-exec (cluster-wide)" in ident["scope"], ident["scope"]
assert any(f["rule"] == "TM-ID-004" and f["severity"] == "high" for f in d["findings"]), d["findings"]
ids = {n["id"] for n in d["model"]["nodes"]}
assert any(i.startswith("service:monitoring/app") for i in ids), ids
rbac = next(i for i in d["inputs"] if i["path"] == "rbac.yaml")
assert rbac["documents"] == 2 and rbac["modelled"] == 2, rbac
PY
exit 0
