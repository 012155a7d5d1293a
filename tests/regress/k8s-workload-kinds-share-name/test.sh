# A Deployment and a StatefulSet with one namespace and name are two objects to the API server, but
# were one node service:NS/NAME (labelled StatefulSet) holding both pods' containers: the privileged
# dind sidecar of the Deployment was attributed to the StatefulSet's identity, and the blast radius
# listed the one id twice. Now each is a workload of its own whose id names its kind
# (service:ci/act-runner~deployment, ~statefulset), with a note saying so; the headless Service
# selecting both reaches both; a workload whose name no other kind shares keeps service:NS/NAME.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
dep, sts = nodes.get("service:ci/act-runner~deployment"), nodes.get("service:ci/act-runner~statefulset")
assert dep and sts and "service:ci/act-runner" not in nodes, sorted(nodes)
assert "service:ci/cache" in nodes, sorted(nodes)
assert dep["workload"] == "Deployment" and sts["workload"] == "StatefulSet", (dep["workload"], sts["workload"])
assert dep.get("privileged") == ["docker"] and not sts.get("privileged"), (dep.get("privileged"), sts.get("privileged"))
assert dep["service_account"] == "runner-builder" and sts["service_account"] == "runner-reader"
assert sorted(dep["containers"]) == ["docker", "runner"] and sts["containers"] == ["runner"]
assert dep.get("k8s_services") == ["act-runner"] and sts.get("k8s_services") == ["act-runner"], (dep.get("k8s_services"), sts.get("k8s_services"))
blast = [b["workload"] for b in d["blast_radius"]]
assert len(blast) == len(set(blast)), blast
ctr = [f for f in d["findings"] if f["rule"] == "TM-CTR-001"]
assert [f["subject"] for f in ctr] == ["service:ci/act-runner~deployment"], [(f["subject"], f["title"]) for f in ctr]
notes = [x for x in d["diagnostics"] if "shares its namespace and name" in x["message"]]
assert len(notes) == 1, d["diagnostics"]
PY
