# TM-MESH-012 said a Grafana console behind a LoadBalancer was "reachable from beyond the host with
# the image's default login" (high) while a NetworkPolicy admitted only one in-cluster client and
# `query can internet` answered DENY: the report contradicted itself. A console whose way in its
# policies refuse to the internet is no longer reported; without the policy it still is.
. "$(dirname "$0")/../lib.sh"
scan_each guarded open
python3 - "$WORK/guarded.json" "$WORK/open.json" <<'PY' || fail "see above"
import json, sys
g, o = (json.load(open(p)) for p in sys.argv[1:])
rule = lambda d: [f for f in d["findings"] if f["rule"] == "TM-MESH-012"]
assert not rule(g), [f["title"] for f in rule(g)]
assert len(rule(o)) == 1 and rule(o)[0]["severity"] == "high", [(f["severity"], f["title"]) for f in rule(o)]
PY
