# An install manifest written without metadata.namespace (applied with `kubectl apply -n NS`) whose
# ClusterRoleBinding names its ServiceAccount as NS/name put the workload in `default` and the grant
# on NS/name with no workload: cluster-admin was only TM-ID-005 and the pod got TM-ID-003 ("its
# identity has no API grants"). Now the objects are taken to be installed in NS, said in a note at
# the binding's subject; a RoleBinding there grants its namespaceless subject in NS too. Bindings
# naming the account in two namespaces assume nothing: a warning at each says how to name it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" "$WORK/err" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
err = open(sys.argv[2]).read()
nodes = {n["id"]: n for n in d["model"]["nodes"]}
assert "service:pipelines/pipeline-api" in nodes, sorted(nodes)
assert "service:default/pipeline-api" not in nodes, sorted(nodes)
runs = {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "runs-as"}
assert ("service:pipelines/pipeline-api", "identity:k8s:pipelines/pipeline-api") in runs, runs
rules = {(f["rule"], f["subject"]) for f in d["findings"]}
assert not [r for r in rules if r[0] == "TM-ID-003" and "pipeline-api" in r[1]], rules
idf = [f for f in d["findings"] if f["rule"] in ("TM-ID-001", "TM-ID-005") and "pipeline-api" in f["subject"]]
assert idf and any(f["severity"] == "critical" for f in idf), [(f["rule"], f["severity"], f["title"]) for f in idf]
notes = [x for x in d.get("diagnostics", []) if "taken to be installed in 'pipelines'" in x.get("message", "")]
assert notes and notes[0]["line"] == 21, d.get("diagnostics")
# the RoleBinding's namespaceless subject is the same namespace's account
runner = nodes.get("identity:k8s:pipelines/pipeline-runner", {})
assert runner.get("rbac_bindings"), runner
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/several" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"] for n in d["model"]["nodes"]}
assert "service:default/agent" in nodes, sorted(nodes)
warn = [x for x in d.get("diagnostics", []) if x.get("severity") == "warning" and "several namespaces" in x.get("message", "")]
assert len(warn) == 2 and "systems[].namespace" in warn[0]["message"], d.get("diagnostics")
PY
