#!/usr/bin/env bash
# appwrite: appwrite/mailcatcher published on 9503 (every mail the system sends, password-reset
# links too) made no TM-MESH-012, while MailHog did; nor did maildev/maildev. Both are consoles now
# (MailDev unless MAILDEV_WEB_USER and MAILDEV_WEB_PASS). mall-swarm: the Nacos console published on
# 8848 (auth off unless NACOS_AUTH_ENABLE=true) serves and rewrites every application's
# configuration, database passwords too: a console, high.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
m12 = [f for f in d["findings"] if f["rule"] == "TM-MESH-012"]
text = json.dumps(m12)
assert "mailcatcher" in text and "maildev" in text, [f["title"] for f in m12]
assert "default/nacos\"" in text and "nacos-secured" not in text, text
PY
exit 0
