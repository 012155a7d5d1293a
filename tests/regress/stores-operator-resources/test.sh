# Databases and brokers written as an operator's resources (RabbitmqCluster, CloudNativePG Cluster,
# Zalando postgresql, ECK Elasticsearch, RedisFailover, OT Redis, MariaDB, MongoDBCommunity) were
# "recognised, not modelled": no store, no client's call resolved to the Services the operator makes,
# and a pg_hba trust rule, a Redis without a password Secret or a LoadBalancer the resource asks for
# went unreported. Now each is a store beside a workload standing for the operator's pods.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
def attrs(i):
    n = nodes[i]
    return n.get("attributes", n)
stores = {i: attrs(i) for i, n in nodes.items() if n["kind"] in ("datastore", "queue")}
want = {"queue:shop/events": "none", "queue:shop/jobs": "configured", "datastore:shop/orders-db": "none",
        "datastore:shop/catalog-db": "configured", "datastore:default/acid-minimal-cluster": "configured",
        "datastore:default/acid-internal": "configured", "datastore:shop/cache": "none",
        "datastore:shop/sessions": "configured", "datastore:shop/logs": "none", "datastore:shop/legacy": "none",
        "datastore:shop/reviews": "configured"}
for i, auth in want.items():
    assert i in stores, (i, sorted(stores))
    assert stores[i].get("auth") == auth, (i, stores[i])
assert "default_pass = guest" in stores["queue:shop/events"]["no_auth"][0], stores["queue:shop/events"]
assert "trust" in stores["datastore:shop/orders-db"]["no_auth"][0]
assert "jobs-default-user" in stores["queue:shop/jobs"]["credentials_kept"]
# the Services the operators make resolve: orders calls the CNPG rw Service, RabbitMQ and the sentinel
calls = {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"}
for to in ("service:shop/orders-db", "service:shop/events", "service:shop/cache"):
    assert ("service:shop/orders", to) in calls, (to, calls)
# the load balancers the resources ask for are ways in from the internet; Zalando's without
# allowedSourceRanges is not
routes = {e["to"] for e in d["model"]["edges"] if e["kind"] == "routes" and e["from"] == "entrypoint:internet"}
assert routes == {"service:shop/events", "service:shop/orders-db", "service:shop/logs",
                  "service:default/acid-minimal-cluster"}, routes
f = {a.get("node", a.get("subject")): a for x in d["findings"] if x["rule"] == "TM-DATA-002" for a in (x.get("affected") or [x])}
for n in ("queue:shop/events", "datastore:shop/orders-db", "datastore:shop/cache", "datastore:shop/logs",
          "datastore:shop/legacy"):
    assert n in f, (n, sorted(f))
assert "queue:shop/jobs" not in f and "datastore:shop/sessions" not in f and "datastore:shop/reviews" not in f
pub = {a.get("node", a.get("subject")) for x in d["findings"] if x["rule"] == "TM-MESH-007" for a in (x.get("affected") or [x])}
assert "service:default/acid-minimal-cluster" in pub and "service:shop/logs" in pub, pub
PY
exit 0
