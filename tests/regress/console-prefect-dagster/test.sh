# Prefect's server and Dagster's webserver, whose open-source editions have no login, were no
# console: run from images of the project's own as often as from their vendors', they are known by
# their command lines (`prefect server start`, `dagster-webserver`, `dagit`). Published: high
# (deployments and job runs run code), Prefect's documented example auth string admin:pass a login
# everyone knows; Dagster --read-only medium. Quiet: an auth string of the project's own, a Prefect
# worker, a migration job, the Dagster daemon.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012")
assert sorted(rows) == ["dagit", "dagster-readonly", "dagster-webserver", "prefect", "prefect-example-auth"], sorted(rows)
for n in ("dagit", "dagster-webserver", "prefect", "prefect-example-auth"):
    assert rows[n][0] == "high", (n, rows[n])
assert rows["dagster-readonly"][0] == "medium", rows["dagster-readonly"]
assert "admin:pass" in rows["prefect-example-auth"][1], rows["prefect-example-auth"]
PY
