#!/usr/bin/env bash
# pitstop trial (AH-5): Seq (datalust/seq) published on a NodePort, with no first administrator's
# password: every log event of the system read and written, and its administration, by anyone.
# Seq was no console. Before 2025.2 a first run without SEQ_FIRSTRUN_ADMINPASSWORD(HASH) starts
# with authentication off; from 2025.2 it refuses to start unless SEQ_FIRSTRUN_NOAUTHENTICATION opts
# out (datalust/seq-tickets#2435): the image's tag decides which default holds (latest: today's).
. "$(dirname "$0")/../lib.sh"
for part in k8s compose; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$part" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$part.json"
done
python3 - "$WORK/k8s.json" "$WORK/compose.json" <<'PY' || fail "see above"
import json, sys
t = []
for p in sys.argv[1:]:
    d = json.load(open(p))
    t += sorted((a["title"].split(": ")[0], f["severity"]) for f in d["findings"] if f["rule"] == "TM-MESH-012"
                for a in (f.get("affected") or [f]))
assert t == [("service:logging/seq", "high"), ("service:compose:default/seq", "high")], t
PY
exit 0
