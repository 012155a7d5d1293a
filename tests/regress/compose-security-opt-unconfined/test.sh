#!/usr/bin/env bash
# immich (hwaccel.transcoding.yml): a compose service's security_opt seccomp, apparmor or
# systempaths "unconfined" was never read, though TM-CTR-003's compose advice says to remove them;
# and no-new-privileges=true (the '=' form Docker also takes) was read as escalation allowed. Now
# each unconfined setting (either separator) and label=disable are `unconfined` facts TM-CTR-003
# reports, and no-new-privileges=true counts.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
c3 = [f["title"] for f in d["findings"] if f["rule"] == "TM-CTR-003"]
assert len(c3) == 1 and all(k in c3[0] for k in ("app:seccomp", "app:apparmor", "app:systempaths", "app:selinux")), c3
c2 = [f["title"] for f in d["findings"] if f["rule"] == "TM-CTR-002"]
assert not any("safe" in t for t in c2), c2
PY
exit 0
