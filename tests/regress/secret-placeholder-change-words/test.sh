#!/usr/bin/env bash
# n8n-hosting trial: a Secret's POSTGRES_DB, POSTGRES_DATABASE and MYSQL_DATABASE (database names) were
# "committed values" (TM-SEC-003, high), and "change" placeholders (changePassword,
# SuperSecretKeyChangeThis, ChangeThisToAStrongPasswordInProduction!, changeRunnerAuthToken) were
# credentials (TM-SEC-003, TM-SEC-001), where changeme was not. Only the real value P7 remains.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/k8s" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = [a["title"] for f in d["findings"] if f["rule"] in ("TM-SEC-001", "TM-SEC-003") for a in f.get("affected", [f])]
assert len(t) == 1 and "'P7'" in t[0], t
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/compose" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = [a["title"] for f in d["findings"] if f["rule"] in ("TM-SEC-001", "TM-SEC-003") for a in f.get("affected", [f])]
assert t == [], t
PY
exit 0
