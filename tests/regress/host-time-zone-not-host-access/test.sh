#!/usr/bin/env bash
# immich: /etc/localtime:/etc/localtime:ro, the usual way to give a container the host's time zone,
# was TM-CTR-001 high ("privileged container or host access"). The host's time zone files
# (/etc/localtime, /etc/timezone, /usr/share/zoneinfo) are no host access to speak of: not recorded
# as host paths, in compose or as a Kubernetes hostPath. Another host path beside them still is, and
# so is one that climbs out of them (/usr/share/zoneinfo/../../..).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ctr1 = [f for f in d["findings"] if f["rule"] == "TM-CTR-001"]
text = json.dumps(ctr1)
named = lambda w: "default/%s\"" % w in text
assert named("agent") and named("sneaky") and not named("app") and "clock" not in text, text
assert "/var/log" in text and "localtime" not in text and "zoneinfo/Europe" not in text, text
PY
exit 0
