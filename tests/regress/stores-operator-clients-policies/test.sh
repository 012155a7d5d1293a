# Operator-run stores, second round (trial AE): an application reading the Secret the operator writes
# for clients (CloudNativePG's <cluster>-app, Crunchy's <cluster>-pguser-<user>, Zalando's
# <user>.<cluster>.credentials...) was drawn mounting it, never calling the store; the stores were not
# in the policy model (exposure none, `query` refused them, a NetworkPolicy selecting cnpg.io/cluster
# "protected nothing"); RedisFailover's ACL users, ECK's anonymous roles written in mixed dotted and
# nested keys, RabbitMQ's spec.override.service and Zalando's pooler Services were not read.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"}
for c in (("service:shop/orders", "service:shop/orders-db"), ("service:shop/keycloak", "service:shop/authdb"),
          ("service:shop/reports", "service:shop/acid-shop")):
    assert c in calls, (c, calls)
st = {n["id"]: n.get("attributes", n) for n in d["model"]["nodes"] if n["kind"] in ("datastore", "queue")}
assert st["datastore:shop/cache"]["auth"] == "configured", st["datastore:shop/cache"]
assert st["datastore:shop/search"]["auth"] == "none", st["datastore:shop/search"]
routes = {e["to"] for e in d["model"]["edges"] if e["kind"] == "routes" and e["from"] == "entrypoint:internet"}
assert routes == {"service:shop/events"}, routes
xp = {e["node"]: e["level"] for e in d["exposure"]} if isinstance(d["exposure"], list) else d["exposure"]
assert xp.get("service:shop/acid-shop") == "cluster", xp
PY
run_bounded 60 "$TRUSTMAP" query can shop/keycloak shop/orders-db "$CASE/in" --no-cache --port 5432
expect_exit 1
grep -q '^DENY' "$WORK/out" || fail "keycloak -> orders-db: $(head -3 "$WORK/out")"
grep -q 'orders-db-from-orders' "$WORK/out" || fail "the policy selecting cnpg.io/cluster is not the decider: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can shop/orders shop/orders-db "$CASE/in" --no-cache --port 5432
expect_exit 0
exit 0
