# n8n-hosting trial: a Postgres whose password is a placeholder left as written (changePassword from
# a Secret in the scan, ChangeThisToAStrongPassword! in compose) was "auth: configured" and no
# finding, though TM-SEC-003 rightly takes the value for a placeholder: the two lists differed. One
# list now: a placeholder deployed as the password is one everyone knows (auth default-login,
# TM-DATA-002). A real password from a Secret, or a variable, stays configured.
. "$(dirname "$0")/../lib.sh"
scan_each compose k8s
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import json, sys
import regress
auth = {}
for path in sys.argv[1:]:
    raw = open(path).read()
    assert "qT7-vb4-mX2k-Rr99" not in raw, "a real password reached the report"
    d = json.loads(raw)
    auth.update({n["id"]: n.get("auth") for n in d["model"]["nodes"] if n["kind"] == "datastore"})
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-DATA-002", key="node")
assert auth.get("datastore:automation/postgres") == "default-login", auth
assert auth.get("datastore:compose:default/db") == "default-login", auth
assert auth.get("datastore:billing/postgres") == "configured", auth
assert auth.get("datastore:compose:default/db-own") == "configured", auth
for n in ("datastore:automation/postgres", "datastore:compose:default/db"):
    assert n in rows and "everyone knows" in rows[n][1], (n, rows)
assert "datastore:billing/postgres" not in rows and "datastore:compose:default/db-own" not in rows, rows
PY
