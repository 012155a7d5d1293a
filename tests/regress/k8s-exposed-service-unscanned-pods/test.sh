# A LoadBalancer or NodePort Service whose pods the scan does not hold (an operator's database
# pods, endpoints managed elsewhere) was a note and nothing else: the report said "No entry point
# found: nothing in the inputs is exposed outside the cluster" though a public load balancer opened
# PostgreSQL's port. Now such a Service routes from the internet to a workload standing for its
# pods (`unscanned_pods`), so the entry point, TM-MESH-004 and, on a store's port, TM-MESH-007 are
# reported; a ClusterIP Service selecting nothing stays a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
for sid in ("service:data/orders-db-public", "service:data/metrics-nodeport"):
    assert sid in nodes and nodes[sid].get("unscanned_pods"), sorted(nodes)
assert "service:data/orders-db-internal" not in nodes, sorted(nodes)
routes = {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "routes"}
assert ("entrypoint:internet", "service:data/orders-db-public") in routes, routes
assert ("entrypoint:internet", "service:data/metrics-nodeport") in routes, routes
rules = {(f["rule"], f["subject"]) for f in d["findings"]}
assert ("TM-MESH-007", "service:data/orders-db-public") in rules, rules
PY
