# A Calico GlobalNetworkPolicy selecting every application namespace with only DNS egress allowed
# (the cluster's default deny) was skipped: `query can` answered ALLOW for a pod-to-pod call it
# blocks, and TM-MESH-006 said namespace bank had no default deny. The policy now isolates the pods
# of the namespaces its namespaceSelector takes (kube-system left out, as written), both ways.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can bank/summary bank/customer "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["allowed"] is False and not d["unknown"], d["reason"]
assert d["decided_by"]["policy"] == "CalicoGlobalNetworkPolicy default-app-policy", d["decided_by"]
PY
# kube-system is not selected: its pod's egress is open, bank's ingress still isolated
run_bounded 60 "$TRUSTMAP" query can kube-system/metrics-server bank/customer "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["allowed"] is False and "ingress of bank/customer is isolated" in d["reason"], d["reason"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
for w in ("service:bank/summary", "service:bank/customer"):
    assert nodes[w].get("ingress_isolated") is True and nodes[w].get("egress_isolated") is True, nodes[w]
assert nodes["service:kube-system/metrics-server"].get("egress_isolated") is not True, nodes["service:kube-system/metrics-server"]
t = [f["title"] for f in d["findings"] if f["rule"] == "TM-MESH-006"]
assert not any("bank" in x for x in t), t
PY
exit 0
