#!/usr/bin/env bash
# GitOps fleet trial: Argo CD's documented repository Secret (type, url, project, name; no
# credential) gave a high TM-SEC-003 for three committed keys. Those keys name, they prove nothing;
# the real token beside them is still reported.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = sorted(x["title"] for f in d["findings"] if f["rule"] == "TM-SEC-003" for x in f.get("affected", [f]))
assert len(t) == 1 and "private-repo-creds" in t[0] and "'password'" in t[0], t
PY
exit 0
