# Deleting a CiliumNetworkPolicy default deny (cilium/cilium examples/minikube sw_deny_policy.yaml)
# asked "What did the deleted control protect, and what reaches it now?" and answered "unresolved:
# the inputs do not say", while deleting a NetworkPolicy named the workloads left open. Every policy
# of the NetworkPolicy table answers alike, the cluster-wide kind too.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/in/old" "$CASE/in/new" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ans = {a["about"]: a["answer"] or "" for a in d["agenda"]}
a = ans.get("CiliumNetworkPolicy default/empire-default-deny", "")
assert "it isolated 1 workload" in a and "now open to every pod of the cluster" in a and "service:default/tiefighter" in a, ans
a = ans.get("CiliumClusterwideNetworkPolicy ops/ops-default-deny", "")
assert "it isolated 1 workload" in a and "service:ops/probe" in a, ans
PY
exit 0
