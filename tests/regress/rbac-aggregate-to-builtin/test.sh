# A binding to the built-in view, edit or admin took trustmap's fixed table for the role and left out
# the scanned ClusterRoles labelled aggregate-to-view|edit|admin that the API server adds to it (admin
# includes edit, edit includes view): a service account bound to view could read secrets unseen.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ids = {n["id"]: n for n in d["model"]["nodes"] if n["kind"] == "identity"}
v = ids["identity:k8s:team/viewer"]
assert "read-secrets (in namespace team)" in v["rbac_capabilities"], v["rbac_capabilities"]
assert "create-tokens (in namespace team)" not in v["rbac_capabilities"], v["rbac_capabilities"]
assert not any(c.startswith("pod-exec") for c in v["rbac_capabilities"]), v["rbac_capabilities"]
assert "get,list secrets in namespace team (aggregated from ClusterRole view-plus)" in v["permissions"], v["permissions"]
b = ids["identity:k8s:team/boss"]
assert "create-tokens (in namespace team)" in b["rbac_capabilities"], b["rbac_capabilities"]
assert "get,list secrets in namespace team (aggregated from ClusterRole view-plus)" in b["permissions"], b["permissions"]
f = next(x for x in d["findings"] if x["rule"] == "TM-ID-004" and x["subject"] == v["id"])
assert f["severity"] == "high", f
assert {"path": "rbac.yaml", "line": 4, "column": 1} in f["evidence"], f["evidence"]  # view-plus
PY
exit 0
