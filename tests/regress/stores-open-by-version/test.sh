#!/usr/bin/env bash
# mall-swarm, appwrite: elasticsearch:7.6.2 and influxdb:1.8 published on the host made no
# TM-DATA-002, though before 8 (Elasticsearch) and 2 (InfluxDB) the official images admit anyone
# unless configured; Kibana's TM-MESH-012 beside them already assumed "its security is assumed off".
# The official image's version now decides; 8.x and 2.x stay secured by default.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
text = json.dumps([f for f in d["findings"] if f["rule"] == "TM-DATA-002"])
named = lambda w: "default/%s\"" % w in text
assert named("es") and named("influx") and not named("es8") and not named("influx2"), text
PY
exit 0
