#!/usr/bin/env bash
# n8n-hosting trial: N8N_ENCRYPTION_KEY (it decrypts every credential n8n stores), ENCRYPTION_KEY,
# JWT_SIGNING_KEY and MASTER_KEY written with a real value were no credential; DB_PASSWORD with the
# same value was. Keys that decrypt or sign are credentials too.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = sorted(a["title"].split("credential app/")[1].split(" ")[0] for f in d["findings"] if f["rule"] == "TM-SEC-001" for a in f.get("affected", [f]))
assert t == ["DB_PASSWORD", "ENCRYPTION_KEY", "JWT_SIGNING_KEY", "MASTER_KEY", "N8N_ENCRYPTION_KEY"], t
PY
exit 0
