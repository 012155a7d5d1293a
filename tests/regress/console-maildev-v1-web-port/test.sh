#!/usr/bin/env bash
# pitstop trial (AH-4): MailDev 1.x (djfarrelly/maildev) serves its web interface on port 80, the
# image's default (`--web 80`); only 1080, 2.x's port (maildev/maildev), was read as its console's, so
# a NodePort to the 1.x interface made no TM-MESH-012. The 1.x repository reads 80 and 1080; 2.x
# still reads 1080 alone (port 80 of it, published, is no console); a login set stays quiet.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
t = sorted(m["title"] for m in regress.members(regress.findings(sys.argv[1]), "TM-MESH-012"))
assert len(t) == 1 and t[0].startswith("service:fleet/mailserver: MailDev console reachable from beyond the host "
                                        "without a login (NodePort 30002->80)"), t
PY
exit 0
