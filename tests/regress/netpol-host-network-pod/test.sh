# A pod on the node's network (hostNetwork: true, a host-metrics agent's DaemonSet) was treated as
# isolated by the NetworkPolicy selecting it: `query can internet` said DENY and its exposure was
# `cluster`, though the same report routed the internet to its hostPort. Pod policies do not isolate
# a host-network pod (its traffic is the node's): the query now passes the policy layer saying so,
# the exposure is the internet, and a note says the policy is not applied to it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can internet observability/host-metrics --port 9100 "$CASE/in" --no-store --format json
expect_exit 0
python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert v["allowed"], v' "$WORK/out" || fail "not isolated"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exposure"]["service:observability/host-metrics"] == "internet", d["exposure"]
assert any("hostNetwork" in g["message"] and "not applied" in g["message"] for g in d["diagnostics"]), d["diagnostics"]
PY
