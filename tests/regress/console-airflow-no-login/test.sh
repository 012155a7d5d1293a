# Airflow's web server without a login was no console: Airflow 1.10 with authenticate and rbac off
# (puckel's image as it ships, apache/airflow 1.10) and Airflow 2 whose REST API lists the `default`
# auth backend (every caller admitted) are reached by anyone who triggers DAGs, whose tasks run
# code: now high, from compose and from a NodePort on Kubernetes (`bash -c "exec airflow
# webserver"`). Quiet: the scheduler of the same image, AIRFLOW__WEBSERVER__AUTHENTICATE=True, and
# Airflow 2 with no web user known (its login asked, its users not in the files).
. "$(dirname "$0")/../lib.sh"
# the compose project and the Kubernetes manifests, each scanned as a system of its own
scan_each compose k8s
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012")
assert sorted(rows) == ["airflow-webserver", "web-110", "web-api-open", "webserver"], sorted(rows)
assert all(s == "high" for s, _ in rows.values()), rows
assert "DAG" in rows["webserver"][1], rows["webserver"]
PY
