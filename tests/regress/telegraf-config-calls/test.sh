# Telegraf's configuration (telegraf.conf, TOML) was counted among the files not examined: the calls
# its outputs and inputs make (`urls = ["http://influxdb:8086"]`, `servers = ["tcp://mosquitto:1883"]`)
# and the token and password written in it were not seen. It is read by its name, as
# oauth2-proxy's, with the properties reader.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert [i for i in d["inputs"] if i["path"] == "telegraf/telegraf.conf" and i["kind"] == "app-config"], d["inputs"]
calls = {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"}
for to in ("influxdb", "mosquitto"):
    assert ("service:compose:default/telegraf", "service:compose:default/" + to) in calls, calls
held = {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "mounts"}
assert ("service:compose:default/telegraf", "secret:config:telegraf/telegraf.conf") in held, held
PY
exit 0
