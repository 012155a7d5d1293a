# n8n in queue mode (trial 28: workflow engines): the editor, published through an Ingress, hands
# executions to Redis (QUEUE_BULL_REDIS_HOST) and `n8n worker` pods run them; nothing joined the
# broker to the workers, so a worker holding the node's Docker socket was off every attack path.
# The worker is known by its `sh -c "sleep 5; n8n worker"` args (the editor's `n8n start` is none),
# subscribes to the Redis its QUEUE_BULL_REDIS_HOST names (a Service's full DNS name; not the
# PostgreSQL its DB_POSTGRESDB_HOST names), and TM-PATH-001 walks Ingress -> n8n -> redis -> worker
# -> node.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "scan: see above"
import json, sys
d = json.load(open(sys.argv[1]))
m = d["model"]
subs = [(e["from"], e["to"], e.get("settings"), e.get("task_worker"), sorted(v["line"] for v in e["evidence"]))
        for e in m["edges"] if e["kind"] == "subscribes"]
assert subs == [("service:automation/n8n-worker", "service:automation/redis", ["QUEUE_BULL_REDIS_HOST"],
                 "n8n worker", [87, 96])], subs
nodes = {n["id"]: n for n in m["nodes"]}
assert nodes["service:automation/redis"]["delivers_to"] == ["service:automation/n8n-worker"]
assert "task_worker" not in nodes["service:automation/n8n"], nodes["service:automation/n8n"]
paths = [f for f in d["findings"] if f["rule"] == "TM-PATH-001" and "n8n-worker" in " ".join(f["path"])]
assert paths, [f["title"] for f in d["findings"] if f["rule"] == "TM-PATH-001"]
p = paths[0]["path"]
i = p.index("service:automation/redis")
assert p[i + 1] == "service:automation/n8n-worker" and p[i + 2].startswith("identity:node:"), p
assert p[0] == "entrypoint:internet" and "service:automation/n8n" in p[:i], p
PY
exit 0
