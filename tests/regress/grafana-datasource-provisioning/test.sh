# Grafana's data source provisioning (provisioning/datasources/*.yml: `apiVersion: 1`, a
# `datasources` list) was skipped as "no recognised document": neither the call Grafana makes to
# each data source's `url` nor the token written in its `secureJsonData` was seen. It is read as
# the configuration of the Grafana that mounts it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [s for s in d["skipped"] if "influx.yml" in s["path"]], d["skipped"]
calls = [(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"]
assert ("service:compose:default/grafana", "service:compose:default/influxdb") in calls or \
       any(f.endswith("/grafana") and "influxdb" in t for f, t in calls), calls
sec = [n for n in d["model"]["nodes"] if n["kind"] == "secret" and "influx.yml" in n["id"]]
assert sec, [n["id"] for n in d["model"]["nodes"]]
assert "token" in " ".join(sec[0].get("keys", [])) or any("token" in k for k in sec[0].get("config_credentials", [])), sec[0]
PY
exit 0
