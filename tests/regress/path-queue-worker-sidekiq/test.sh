# The generic task-queue shape (trial 28): a worker known by its command line (`bundle exec sidekiq`,
# `rq worker`, `dramatiq`) consumes from the broker it names. A setting named for a broker or queue
# (DRAMATIQ_BROKER_URL, RQ_REDIS_URL) decides; a worker that names none takes the Redis or RabbitMQ
# it calls (Sidekiq's REDIS_URL), not through a cache's or sessions' setting (REDIS_CACHE_URL,
# SESSION_REDIS_URL), and never its database. One hop per worker and broker: the web application
# that shares Redis is a producer, no worker. The privileged Sidekiq container is reached from the
# published web application through Redis.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "scan: see above"
import json, sys
d = json.load(open(sys.argv[1]))
m = d["model"]
subs = sorted((e["from"].split("/")[-1], e["to"].split("/")[-1], e.get("settings"), e.get("task_worker"))
              for e in m["edges"] if e["kind"] == "subscribes")
assert subs == [("mailer", "rabbitmq", ["DRAMATIQ_BROKER_URL"], "dramatiq"),
                ("reports", "redis", ["RQ_REDIS_URL"], "rq worker"),
                ("sidekiq", "redis", ["REDIS_URL"], "sidekiq")], subs
nodes = {n["id"]: n for n in m["nodes"]}
assert nodes["service:compose:shop/redis"]["delivers_to"] == ["service:compose:shop/reports", "service:compose:shop/sidekiq"]
assert "delivers_to" not in nodes["service:compose:shop/cache"]
paths = [f for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert any(f["path"][:5] == ["entrypoint:internet", "service:compose:shop/web", "service:compose:shop/redis",
                             "service:compose:shop/sidekiq", "identity:node:compose/shop"] for f in paths), \
    [f["path"] for f in paths]
PY
exit 0
