# Flower was known by its image alone (mher/flower): started from Airflow's image (`celery flower`,
# puckel's `flower`, the chart's `exec airflow celery flower`) it was no console. Consoles are now
# also known by their command line: each of these published is TM-MESH-012, with the command as
# evidence. Quiet: Airflow's [celery] flower_basic_auth, Flower's --basic-auth flag, a Celery worker
# of the same image.
. "$(dirname "$0")/../lib.sh"
# the compose project and the Kubernetes manifests, each scanned as a system of its own
scan_each compose k8s
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012")
assert sorted(rows) == ["airflow-flower", "flower", "flower-110", "flower-official"], sorted(rows)
assert all(s == "medium" and "Flower" in t for s, t in rows.values()), rows
PY
