# Hasura GraphQL Engine without an admin secret makes every caller its administrator (the console,
# the metadata API, run_sql), yet published to the host, behind a Caddy the internet reaches or by
# a LoadBalancer it got only TM-MESH-004. Now TM-MESH-012, high, "no admin secret: every caller is
# admin"; its manifests' example secret (myadminsecretkey) is a secret everyone knows. Quiet: a
# secret from a variable, a flag or a Secret; a JWT secret alone (graphql-engine refuses to start
# without an admin secret); a loopback port. A secret passed through from the shell is assumed
# unset, said, a level lower.
. "$(dirname "$0")/../lib.sh"
scan_each compose gw k8s
python3 - "$WORK/compose.json" "$WORK/gw.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012", key="node")
c = "service:compose:default/"
want = {c + "graphql", c + "graphql-example-secret", c + "graphql-passed", "service:compose:default/engine", "service:api/hasura"}
assert set(rows) == want, sorted(rows)
for n in (c + "graphql", "service:compose:default/engine", "service:api/hasura"):
    sev, title = rows[n]
    assert sev == "high" and "no admin secret: every caller is admin" in title and "run_sql" in title, (n, rows[n])
assert "caddy" in rows["service:compose:default/engine"][1], rows
assert rows[c + "graphql-example-secret"][0] == "high" and "myadminsecretkey" in rows[c + "graphql-example-secret"][1], rows
sev, title = rows[c + "graphql-passed"]
assert sev == "medium" and "assumed" in title and "HASURA_GRAPHQL_ADMIN_SECRET (passed through" in title, rows
PY
