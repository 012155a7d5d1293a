#!/usr/bin/env bash
# Helm trial (ingress-nginx): the admission webhook's certificate job (a ServiceAccount, Role,
# RoleBinding and Job, each a hook with helm.sh/hook-delete-policy: hook-succeeded) was modelled as
# standing privileges: TM-ID-004 high and TM-SEC-005 on default values. Helm deletes them once they
# succeed; they are left out with one note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
rules = [f["rule"] for f in d["findings"]]
assert "TM-ID-004" not in rules and "TM-SEC-005" not in rules, rules
notes = [g for g in d["diagnostics"] if "Helm hooks deleted once they succeed" in g["message"]]
assert len(notes) == 1 and notes[0]["message"].startswith("4 objects"), notes
PY
exit 0
