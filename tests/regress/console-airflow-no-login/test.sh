# Airflow's web server without a login was no console: Airflow 1.10 with authenticate and rbac off
# (puckel's image as it ships, apache/airflow 1.10) and Airflow 2 whose REST API lists the `default`
# auth backend (every caller admitted) are reached by anyone who triggers DAGs, whose tasks run
# code: now high, from compose and from a NodePort on Kubernetes (`bash -c "exec airflow
# webserver"`). Quiet: the scheduler of the same image, AIRFLOW__WEBSERVER__AUTHENTICATE=True, and
# Airflow 2 with no web user known (its login asked, its users not in the files).
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
        for a in f.get("affected") or [{"node": f["subject"], "title": f["title"], "severity": f["severity"]}]:
            rows[a["node"].split("/")[-1]] = (a["severity"], a["title"])
assert sorted(rows) == ["airflow-webserver", "web-110", "web-api-open", "webserver"], sorted(rows)
assert all(s == "high" for s, _ in rows.values()), rows
assert "DAG" in rows["webserver"][1], rows["webserver"]
PY
