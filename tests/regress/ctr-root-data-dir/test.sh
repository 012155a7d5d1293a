#!/usr/bin/env bash
# n8n-hosting trial: the documented DATA_FOLDER=/root/n8n/ made n8n's own data directory a critical
# host escape, like the Docker socket (every path under /root was one). /root itself and root's keys
# and logins (.ssh, .kube, .docker, .aws, .bashrc, .profile) still are; /root/n8n/.n8n ranks as
# /opt/n8n/.n8n does.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
by = {}
for f in d["findings"]:
    if f["rule"] == "TM-CTR-001":
        for a in f.get("affected", [f]):
            by[a["title"].split(":")[2].split("/")[1]] = a["severity"]
assert by.get("n8n") == "high" and by.get("app-opt") == "high" and by.get("traefik") == "critical", by
esc = [e["from"] for e in d["model"]["edges"] if e["kind"] == "escapes-to"]
assert not any(x.endswith("/n8n") for x in esc), esc
PY
exit 0
