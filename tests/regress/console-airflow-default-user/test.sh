# Airflow 2's web server was no console: published with the web user its own compose file makes
# (airflow-init, which the web server depends on, creates airflow/airflow from the defaults of
# ${_AIRFLOW_WWW_USER_PASSWORD:-airflow}) it got only TM-MESH-004, though whoever signs in triggers
# DAGs whose tasks run code. Now high, a login everyone knows, with the init service's setting as
# evidence; the scheduler and the init container from the same image are no console. Quiet: the
# project's .env giving a password of its own.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
import regress
ms = regress.by_node(regress.findings(sys.argv[1]), "TM-MESH-012", key="node")
rows = {k: (m["severity"], m["title"], m["finding"]) for k, m in ms.items()}
assert sorted(rows) == ["service:compose:official/airflow-webserver"], sorted(rows)
sev, title, f = rows["service:compose:official/airflow-webserver"]
assert sev == "high" and "everyone knows" in title and "airflow" in title, title
ev = json.dumps(f.get("evidence"))
assert any(e.get("line") == 51 for e in f.get("evidence", [])), ev
PY
