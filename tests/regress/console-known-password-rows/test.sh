# Only Grafana, Keycloak, GitLab and EMQX read their administrator's password against the list of
# passwords everyone knows: Redis Commander's HTTP_PASSWORD admin, mongo-express' basic
# authentication on the image's own pass, Seq's first administrator on changeme and Pi-hole's web
# password left as a placeholder were no finding (a password was set). Each is now TM-MESH-012, a
# login everyone knows, high; a password from a variable stays quiet.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012", key="node")
c = "service:compose:default/"
want = {c + "redis-ui", c + "mongo-ui", c + "logs", c + "dns"}
assert set(rows) == want, sorted(rows)
for n in want:
    assert rows[n][0] == "high" and "login everyone knows" in rows[n][1], rows[n]
PY
