# A workflow on pull_request whose jobs ask for an actions-runner-controller runner set by name
# (`runs-on: <runnerScaleSetName>`, or a RunnerDeployment's label) was not taken as running on a
# self-hosted runner: only the literal `self-hosted` label was TM-CICD-006, and the
# AutoscalingRunnerSet was skipped as "recognised, not modelled", so its privileged dind container
# went unreported. Now runner sets are workloads (their pod template; the summerwind controller's
# privileged docker sidecar added as it does by default) and a job naming one is TM-CICD-006 with
# the runner set as evidence; a GitHub-hosted job stays out of it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
ars, rd = nodes.get("service:arc-runners/dind-runners"), nodes.get("service:arc-runners/gpu-runners")
assert ars and rd, sorted(nodes)
assert ars["runner_labels"] == ["k8s-dind"] and rd["runner_labels"] == ["gpu-large"], (ars.get("runner_labels"), rd.get("runner_labels"))
assert ars.get("privileged") == ["dind"] and rd.get("privileged") == ["docker"], (ars.get("privileged"), rd.get("privileged"))
assert "dockerEnabled" in rd.get("assumed", ""), rd.get("assumed")
assert not [s for s in d["skipped"] if "scale-set" in s.get("path", "")], d["skipped"]
ctr = [f for f in d["findings"] if f["rule"] == "TM-CTR-001"]  # both, folded by namespace
assert len(ctr) == 1 and "2 workloads in namespace arc-runners" in ctr[0]["title"], [f["title"] for f in ctr]
sh = [f for f in d["findings"] if f["rule"] == "TM-CICD-006"]
assert len(sh) == 1 and sh[0]["severity"] == "high", [(f["severity"], f["title"]) for f in sh]
t = sh[0]["title"]
assert "image (runner set service:arc-runners/dind-runners)" in t and "gpu (runner set service:arc-runners/gpu-runners)" in t, t
assert "unit" not in t, t
paths = {(e["path"], e["line"]) for e in sh[0]["evidence"]}
assert ("deploy/arc/scale-set.yaml", 2) in paths and (".github/workflows/ci.yml", 14) in paths, paths
PY
