# Flower was known by its image alone (mher/flower): started from Airflow's image (`celery flower`,
# puckel's `flower`, the chart's `exec airflow celery flower`) it was no console. Consoles are now
# also known by their command line: each of these published is TM-MESH-012, with the command as
# evidence. Quiet: Airflow's [celery] flower_basic_auth, Flower's --basic-auth flag, a Celery worker
# of the same image.
. "$(dirname "$0")/../lib.sh"
# the compose project and the Kubernetes manifests, each scanned as a system of its own
for sys in compose k8s; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$sys" --no-store --no-cache --format json
  expect_exit 0 1
  mv "$WORK/out" "$WORK/$sys.json"
done
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import json, sys
findings = [f for p in sys.argv[1:] for f in json.load(open(p))["findings"]]
rows = {}
for f in findings:
    if f["rule"] == "TM-MESH-012":
        for a in f.get("affected") or [{"node": f["subject"], "title": f["title"], "severity": f["severity"], "evidence": f.get("evidence")}]:
            rows[a["node"].split("/")[-1]] = (a["severity"], a["title"])
assert sorted(rows) == ["airflow-flower", "flower", "flower-110", "flower-official"], sorted(rows)
assert all(s == "medium" and "Flower" in t for s, t in rows.values()), rows
PY
