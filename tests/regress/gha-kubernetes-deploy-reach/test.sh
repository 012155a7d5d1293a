# Deploys to Kubernetes were seen only as `kubectl apply` / `helm upgrade` right after the program
# name (not `kubectl -n prod apply`, `helm --kube-context C upgrade`, `kubectl set image`, `rollout
# restart`, skaffold, cluster credentials), and even then were a fact only: `paths --from ci`
# reached nothing. A deploy now gives the pipeline create-workloads in the namespace it names (the
# cluster without one), walked as an identity's grant.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
n = {x["id"]: x for x in d["model"]["nodes"]}
dep = n["pipeline:.github/workflows/deploy.yml"]
k = dep.get("deploys_kubernetes", [])
assert any(s.startswith("kubectl apply") for s in k) and any(s.startswith("helm upgrade") for s in k) \
    and any(s.startswith("kubectl set image") for s in k), k
assert "create-workloads (in namespace prod, by kubectl apply)" in dep.get("rbac_capabilities", []), dep
o = [s.split(" (line")[0] for s in n["pipeline:.github/workflows/other.yml"].get("deploys_kubernetes", [])]
assert sorted(o) == ["gcloud container clusters get-credentials", "kubectl apply", "kubectl rollout restart",
                     "skaffold run"], o
PY
run_bounded 60 "$TRUSTMAP" paths "$CASE/in" --no-cache --from ci
expect_exit 0 1
grep -q "secret:k8s:prod/db" "$WORK/out" && grep -q "service:prod/api" "$WORK/out" \
  || { cat "$WORK/out" >&2; fail "paths --from ci does not reach the deployed workload and its secret"; }
exit 0
