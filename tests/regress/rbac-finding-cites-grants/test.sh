# TM-ID-004 cited only the first grant in its list (a namespaced get secrets) and not the
# ClusterRoleBinding behind the cluster-wide pods/exec and pod creation, and its title did not say
# which capability is cluster-wide. Every binding behind a listed capability is cited, one behind a
# cluster-wide capability first, and the title gives each capability its place.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = next(x for x in d["findings"] if x["rule"] == "TM-ID-004")
assert f["title"] == ("identity:k8s:argo/ctrl may read-secrets (namespaces argo, workflows), "
                      "pod-exec (cluster-wide), create-workloads (cluster-wide)"), f["title"]
ev = [(e["path"], e["line"]) for e in f["evidence"]]
assert ev[0] == ("rbac.yaml", 19), ev            # the ClusterRoleBinding's subject, first
assert ("rbac.yaml", 40) in ev and ("rbac.yaml", 60) in ev, ev  # both RoleBindings
assert ("deploy.yaml", 13) in ev, ev             # where the identity is named
PY
exit 0
