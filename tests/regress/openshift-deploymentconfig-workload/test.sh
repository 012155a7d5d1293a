# An OpenShift DeploymentConfig (apps.openshift.io/v1, and the legacy apiVersion v1 its templates
# and exports write) was counted as "not modelled": the Service before it selected no workload, its
# privileged container and literal password raised nothing, and a diff adding both said "the change
# leaves the model as it was". A DeploymentConfig is a workload as a Deployment is (pod template at
# spec.template); a legacy v1 Route routes to it; a pod template that is no mapping is said.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/scan" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
web = nodes.get("service:shop/web")
assert web and web.get("workload") == "DeploymentConfig", web
assert d["exposure"].get("service:shop/web") == "internet", d["exposure"]
by = {}
for f in d["findings"]:
    by.setdefault(f["rule"], []).append(f)
ctr = [f for f in by.get("TM-CTR-001", []) if "service:shop/web" in f["title"]]
sec = [f for f in by.get("TM-SEC-001", []) if "service:shop/web" in f["title"]]
assert ctr and ctr[0]["severity"] == "critical", ctr
assert sec and "DB_PASSWORD" in sec[0]["title"], sec
assert any(e["path"].endswith("dc.yaml") and e["line"] == 19 for e in ctr[0]["evidence"]), ctr[0]["evidence"]
# the legacy v1 kinds: a workload with its service account, reached through its Route
w = nodes.get("service:shop/worker")
assert w and w.get("workload") == "DeploymentConfig" and w.get("service_account") == "worker", w
assert d["exposure"].get("service:shop/worker") == "internet", d["exposure"]
gw = nodes.get("gateway:shop/worker")
assert gw and not gw.get("hosts"), gw  # an empty host is the router's to name
msgs = [x["message"] for x in d["diagnostics"]]
assert not any("selects no workload" in m for m in msgs), msgs
assert not any("does not serve kind" in m for m in msgs), msgs
assert any("DeploymentConfig 'broken': its pod template (spec.template) is not a mapping" in m for m in msgs), msgs
assert any("DeploymentConfig 'broken-spec': its pod template" in m for m in msgs), msgs
assert "service:shop/broken" not in nodes and "service:shop/broken-spec" not in nodes
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/in/old" "$CASE/in/new" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
new = {f["rule"] for f in d["findings_new"]}
assert {"TM-CTR-001", "TM-SEC-001"} <= new, new
assert d["review_depth"] == "deep-dive", d["review_depth"]
PY
exit 0
