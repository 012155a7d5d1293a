# A KEDA ScaledJob (keda.sh/v1alpha1) was skipped whole: the Jobs KEDA starts from its
# spec.jobTargetRef.template run its containers, yet their privileged flag, literal password and
# envFrom Secret (the shape of KEDA's RabbitMQ sample consumer job) raised nothing. Its pod
# template is a workload as a Job's is; one that is no mapping is said.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
w = nodes.get("service:jobs/worker")
assert w and w.get("workload") == "ScaledJob", w
rules = {}
for f in d["findings"]:
    if "service:jobs/worker" in f["title"]:
        rules[f["rule"]] = f
assert "TM-CTR-001" in rules and "TM-SEC-001" in rules, sorted(rules)
assert any(e["path"] == "scaledjob.yaml" and e["line"] == 14 for e in rules["TM-CTR-001"]["evidence"]), rules["TM-CTR-001"]
assert any(e["path"] == "scaledjob.yaml" and e["line"] == 17 for e in rules["TM-SEC-001"]["evidence"]), rules["TM-SEC-001"]
c = nodes.get("service:default/queue-consumer")
assert c and c.get("workload") == "ScaledJob", c
assert "example/queue-consumer:0.9.1" in c.get("images", []), c
sec = [f for f in d["findings"] if f["rule"] == "TM-SEC-004" and "queue-consumer" in f["title"]]
assert sec, "the envFrom Secret of the ScaledJob's pods is not seen"
msgs = [x["message"] for x in d["diagnostics"]]
assert any("ScaledJob 'no-target': its pod template (spec.jobTargetRef.template) is not a mapping" in m for m in msgs), msgs
assert any("ScaledJob 'template-list': its pod template" in m for m in msgs), msgs
assert "service:jobs/no-target" not in nodes and "service:jobs/template-list" not in nodes
PY
exit 0
