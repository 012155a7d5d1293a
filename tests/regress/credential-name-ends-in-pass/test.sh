#!/usr/bin/env bash
# home-ops trial (AF-4): PAPERLESS_DBPASS with a literal value was no credential, while
# PAPERLESS_DBPASSWORD, DB_PASS and SMTP_PASS were: a name counted as a password only with "pass"
# written apart (_PASS). A name whose last segment ends in PASS (DBPASS, camelCase mailPass) is a
# credential now, in a Deployment and in a HelmRelease's inline values alike; words that only end so
# (BYPASS, COMPASS) and nginx's proxy_pass are not.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
import regress
d = json.load(open(sys.argv[1]))
t = []
for s in [d] + [x for x in d.get("systems", []) if "findings" in x]:
    t += [m["title"] for m in regress.members(s["findings"], "TM-SEC-001")]
names = sorted(x.split("credential ")[1].split(" ")[0] for x in t)
assert names == ["app/PAPERLESS_DBPASS", "app/PAPERLESS_DBPASS", "app/mailPass"], t
assert any("service:archive/archive" in x for x in t), t
PY
exit 0
