# trustmap.yaml's systems[].namespace was read for charts only: plain manifests of the system whose
# objects name no namespace stayed in `default`, silently. Now the system's namespace is where they
# are installed (as `kubectl apply -n`), stated on each node's assumption; objects that name their
# namespace keep it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
w = nodes.get("service:payments/ledger")
assert w and "service:default/ledger" not in nodes, sorted(nodes)
assert "trustmap.yaml system prod" in w.get("assumed", ""), w.get("assumed")
assert "identity:k8s:payments/ledger" in nodes and "identity:k8s:default/ledger" not in nodes, sorted(nodes)
assert w.get("k8s_services") == ["ledger"], w.get("k8s_services")
PY
