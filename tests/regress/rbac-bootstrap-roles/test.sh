# system:auth-delegator and kube-system's extension-apiserver-authentication-reader were "not scanned;
# its grants are unknown" in every install that runs an aggregated API server or kube-rbac-proxy,
# though every cluster creates them with fixed grants. Known now, as cluster-admin and view are.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
a = next(n for n in d["model"]["nodes"] if n["id"] == "identity:k8s:monitoring/adapter")
assert a["scope"] == "3 RBAC grants, none sensitive", a["scope"]
assert "create tokenreviews cluster-wide" in a["permissions"], a["permissions"]
assert "get,list,watch configmaps (named: extension-apiserver-authentication) in namespace kube-system" in a["permissions"], a
unknown = [x["message"] for x in d["diagnostics"] if "its grants are unknown" in x["message"]]
assert len(unknown) == 1 and "'elsewhere'" in unknown[0], unknown
PY
exit 0
