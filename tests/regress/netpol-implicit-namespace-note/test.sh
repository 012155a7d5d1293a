#!/usr/bin/env bash
# n8n-hosting trial: an overlay's NetworkPolicy written without a namespace was put in the one
# Namespace the files declare, silently ("Unresolved assumptions: None recorded"), and decided
# queries there. `kubectl apply -k` puts it in the apply's namespace. The placement is now a note
# at the policy, which the Markdown report lists among the unresolved assumptions.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
n = [x for x in d["diagnostics"] if "NetworkPolicy db-deny-all names no namespace: taken to apply in 'shop'" in x["message"]]
assert len(n) == 1 and n[0]["path"] == "overlay/np.yaml", d["diagnostics"]
PY
exit 0
