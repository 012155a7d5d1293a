# ThingsBoard's all-in-one image thingsboard/tb-postgres was taken for the project's own build of
# PostgreSQL: a datastore node and a high TM-MESH-007 naming its HTTP and MQTT ports as PostgreSQL's
# (trial AI-4). A repository name holding a store's name as one word of several may be an
# application bundling the store: now it is the store only when the workload opens no port, or
# the store's own among them (zulip-postgresql with no ports, custom-postgres on 5432 still are).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
stores = sorted(n["id"] for n in d["model"]["nodes"] if n["kind"] in ("datastore", "queue"))
assert stores == ["datastore:compose:default/orders-db", "datastore:compose:default/zulip-db"], stores
m7 = json.dumps([f for f in d["findings"] if f["rule"] == "TM-MESH-007"])
assert "mytb" not in m7 and "tb-cass" not in m7 and "chat" not in m7 and "orders-db" in m7, m7
PY
exit 0
