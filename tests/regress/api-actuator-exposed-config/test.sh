#!/usr/bin/env bash
# mall-swarm: management.endpoints.web.exposure.include: '*' in five applications (the gateway's
# /actuator/gateway changes its routes; env and heapdump hand out every secret in memory) made no
# finding: TM-API-010 read only an API spec's operations, and these projects have none. An
# application's own configuration exposing Actuator endpoints beyond health and info is TM-API-010
# now: high when the internet reaches the workload's port (or a gateway route taking /actuator in),
# low otherwise or on a management port of its own; health,info alone and a development profile's
# file (application-dev.yml) are nothing.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f10 = [f for f in d["findings"] if f["rule"] == "TM-API-010"]
members = []
for f in f10:
    members += f.get("affected") or [{"node": f["title"].split(": ")[0], "severity": f["severity"], "title": f["title"]}]
sev = {m["node"].split("/")[-1]: m["severity"] for m in members}
assert sev == {"api": "high", "worker": "low", "mgmt": "low"}, (sev, [f["title"] for f in f10])
assert "management port 8081" in json.dumps(f10), f10
assert any("heapdump" in m.get("title", "") for m in members) or "heapdump" in json.dumps(f10), f10
PY
exit 0
