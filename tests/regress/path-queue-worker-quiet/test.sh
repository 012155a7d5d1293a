# Where a task queue gives no attack path (trial 28): a worker whose producers no one outside
# reaches is modelled (its broker delivers work to it) and stays off every path; services that share
# a broker and are no workers (a web application, `celery beat`, Flower) get no hop; a known worker
# that names no broker the scan holds (puckel/docker-airflow's `worker`, whose image builds the URL)
# gets none either, and a note at its command line says so.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" paths --from internet "$CASE/in/unexposed" --no-store --no-cache
expect_exit 0
grep -q "0 paths to valuable nodes" "$WORK/out" || fail "unexposed: a path: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/unexposed" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "unexposed: see above"
import json, sys
d = json.load(open(sys.argv[1]))
subs = [(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "subscribes"]
assert subs == [("service:compose:batch/worker", "service:compose:batch/rabbitmq")], subs
assert not [f for f in d["findings"] if f["rule"] == "TM-PATH-001"], [f["title"] for f in d["findings"]]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/no-workers" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "no workers: see above"
import json, sys
d = json.load(open(sys.argv[1]))
m = d["model"]
assert not [e for e in m["edges"] if e["kind"] == "subscribes"], "a hop"
assert not [n["id"] for n in m["nodes"] if "delivers_to" in n or "task_worker" in n], "a worker"
calls = sorted(e["from"].split("/")[-1] for e in m["edges"] if e["kind"] == "calls" and e["to"].endswith("/redis"))
assert calls == ["beat", "flower", "web"], calls
assert not [x for x in d["diagnostics"] if "task worker" in x["message"]], d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/no-broker" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "no broker: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [e for e in d["model"]["edges"] if e["kind"] == "subscribes"], "a hop"
notes = [(x["path"], x["line"], x["severity"]) for x in d["diagnostics"] if "task worker" in x["message"]]
assert notes == [("docker-compose.yml", 16, "note")], d["diagnostics"]
PY
exit 0
