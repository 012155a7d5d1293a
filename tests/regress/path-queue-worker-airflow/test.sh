# A task queue's worker was never on an attack path (trial 28, repro-5): Airflow's web UI and
# scheduler queue work on a Redis broker that a Celery worker consumes, the worker mounts the Docker
# socket, and `paths --from internet` reached the broker and stopped there. The worker (`celery
# worker`) now subscribes to the broker its AIRFLOW__CELERY__BROKER_URL names, with evidence at that
# line and at its command line; the broker delivers work to it, so TM-PATH-001 walks from the
# internet through the web UI and Redis to the worker and onto the Docker host. The scheduler, the
# web UI and Flower (`celery flower`) name the same broker and are no workers: no hop to them; the
# result backend (PostgreSQL) is no broker; TM-ASYNC-002 (a channel's replay protection) says
# nothing of a task queue.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" paths --from internet "$CASE/in" --no-store --no-cache
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "paths: see above"
import sys
out = open(sys.argv[1]).read()
want = ["-> service:compose:airflow/airflow-webserver  (routes; none)",
        "-> service:compose:airflow/redis  (calls; none)",
        "-> service:compose:airflow/airflow-worker  (delivers work to; none)  docker-compose.yaml:",
        "-> identity:node:compose/airflow  (escapes to the node; host path /var/run/docker.sock)"]
at = 0
for w in want:
    i = out.find(w, at)
    assert i >= 0, (w, out)
    at = i
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "scan: see above"
import json, sys
d = json.load(open(sys.argv[1]))
m = d["model"]
subs = [e for e in m["edges"] if e["kind"] == "subscribes"]
assert [(e["from"], e["to"]) for e in subs] == [
    ("service:compose:airflow/airflow-worker", "service:compose:airflow/redis")], subs
e = subs[0]
assert e["settings"] == ["AIRFLOW__CELERY__BROKER_URL"], e
assert e["task_worker"] == "celery worker", e
# the worker's broker URL (the anchor's line it takes) and its command line
lines = sorted((ev["path"], ev["line"]) for ev in e["evidence"])
assert lines == [("docker-compose.yaml", 11), ("docker-compose.yaml", 47)], lines
nodes = {n["id"]: n for n in m["nodes"]}
assert nodes["service:compose:airflow/redis"]["delivers_to"] == ["service:compose:airflow/airflow-worker"]
assert "runs whatever any producer enqueues" in nodes["service:compose:airflow/airflow-worker"]["assumed"]
workers = sorted((n["id"], n.get("task_worker")) for n in m["nodes"] if n.get("task_worker"))
assert workers == [("service:compose:airflow/airflow-worker", ["celery worker"])], workers
paths = [f for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert len(paths) == 1 and "escaping to the node from service:compose:airflow/airflow-worker" in paths[0]["title"], paths
assert paths[0]["path"] == ["entrypoint:internet", "service:compose:airflow/airflow-webserver",
                            "service:compose:airflow/redis", "service:compose:airflow/airflow-worker",
                            "identity:node:compose/airflow"], paths[0]["path"]
assert not [f for f in d["findings"] if f["rule"].startswith("TM-ASYNC")], [f["title"] for f in d["findings"] if f["rule"].startswith("TM-ASYNC")]
PY
exit 0
