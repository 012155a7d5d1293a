# pgAdmin published with PGADMIN_DEFAULT_PASSWORD set to a password everyone knows (admin, from the
# list Grafana's and Keycloak's rows read; a placeholder left as written, changeThisPassword; a
# Secret's "password") got TM-SEC-001 and TM-MESH-004 only. Now TM-MESH-012, high, a login
# everyone knows; a password from a variable or a loopback port stay quiet.
. "$(dirname "$0")/../lib.sh"
scan_each compose k8s
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012", key="node")
c = "service:compose:default/"
want = {c + "pgadmin", c + "pgadmin-placeholder", "service:tools/pgadmin"}
assert set(rows) == want, sorted(rows)
for n in want:
    assert rows[n][0] == "high" and "login everyone knows" in rows[n][1] and "PGADMIN_DEFAULT_PASSWORD" in rows[n][1], rows[n]
PY
