#!/usr/bin/env bash
# pitstop trial (AH-5): Seq (datalust/seq) published on a NodePort, with no first administrator's
# password: every log event of the system read and written, and its administration, by anyone.
# Seq was no console. Before 2025.2 a first run without SEQ_FIRSTRUN_ADMINPASSWORD(HASH) starts
# with authentication off; from 2025.2 it refuses to start unless SEQ_FIRSTRUN_NOAUTHENTICATION opts
# out (datalust/seq-tickets#2435): the image's tag decides which default holds (latest: today's).
. "$(dirname "$0")/../lib.sh"
scan_each k8s compose
python3 - "$WORK/k8s.json" "$WORK/compose.json" <<'PY' || fail "see above"
import sys
import regress
t = []
for p in sys.argv[1:]:
    t += sorted((m["title"].split(": ")[0], m["finding"]["severity"]) for m in regress.members(regress.findings(p), "TM-MESH-012"))
assert t == [("service:logging/seq", "high"), ("service:compose:default/seq", "high")], t
PY
exit 0
