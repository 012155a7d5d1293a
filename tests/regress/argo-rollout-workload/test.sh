# An Argo Rollouts Rollout (argoproj.io) was "recognised, not modelled": its pods, the Services that
# select them, its secrets and its posture vanished (edwardmccormick/argocd-example-apps'
# ai-reliability: a Rollout behind three Services and a Traefik IngressRoute). A Rollout with a pod
# template is a workload as a Deployment is; one that points at a Deployment (workloadRef) leaves
# that Deployment the workload.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
api = nodes.get("service:shop/api")
assert api and api.get("workload") == "Rollout", api
assert d["exposure"]["service:shop/api"] == "internet", d["exposure"]
rules = {f["rule"] for f in d["findings"] if "service:shop/api" in f["title"]}
assert {"TM-CTR-001", "TM-SEC-001"} <= rules, rules
assert nodes.get("service:shop/web", {}).get("workload") == "Deployment"
assert "service:shop/web-rollout" not in nodes
notes = [x["message"] for x in d["diagnostics"]]
assert not any("selects no workload" in m and "'api'" in m for m in notes), notes
PY
exit 0
