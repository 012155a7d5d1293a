# Stores that answer over HTTP (influxdb, elasticsearch, couchdb, clickhouse, vault) take ports that
# applications take too: a workload opening 8086 was an InfluxDB whatever it was. Now the port alone
# names such a store only when the workload's name or image names the product; a port only a store
# uses (6379) still names it alone.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
stores = {n["id"]: n for n in d["model"]["nodes"] if n["kind"] == "datastore"}
assert "datastore:hotel/user" not in stores, stores["datastore:hotel/user"]
assert stores["datastore:kube-system/monitoring-influxdb"]["store"] == "influxdb", stores
assert stores["datastore:hotel/cache"]["store"] == "redis", stores
PY
exit 0
