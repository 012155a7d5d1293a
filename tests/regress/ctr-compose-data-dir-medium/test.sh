#!/usr/bin/env bash
# mall-swarm: 19 compose services keeping their logs in /mydata/app/<name>/logs were TM-CTR-001
# high, first in the report above published databases. A compose service whose only host paths are
# data directories of its own (not under /etc, /var, /usr, /home, /root, /proc, /sys, /dev, /run...)
# was medium; since the chat-stack trial it is no host access at all, as a ./ directory of the
# project is not (the fact stays on the node); a system directory stays high.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
sev = {}
for f in d["findings"]:
    if f["rule"] == "TM-CTR-001":
        for m in f.get("affected") or [{"node": f["title"].split(":")[0] + ":" + f["title"].split(":")[1] + ":" + f["title"].split(":")[2], "severity": f["severity"]}]:
            sev[m["node"].split("/")[-1]] = m["severity"]
assert sev == {"web": "high"}, sev
PY
exit 0
