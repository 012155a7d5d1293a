#!/usr/bin/env bash
# docker-jitsi-meet trial: etherpad.yml, run as `-f docker-compose.yml -f etherpad.yml`, joins the
# base's network and depends on its web service; read alone it made a project of its own and web's
# call to it (PAD_URL=http://etherpad:9001) was lost. A complete file leaning on the base is laid
# over it, as a fragment is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
c = {(e["from"].split(":")[-1], e["to"].split(":")[-1]) for e in d["model"]["edges"] if e["kind"] == "calls"}
assert ("default[etherpad]/web", "default[etherpad]/etherpad") in c, c
PY
exit 0
