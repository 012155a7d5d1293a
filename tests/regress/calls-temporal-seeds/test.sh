# Temporal names its database hosts with *_SEEDS (trial 28, repro-4: the auto-setup image's
# POSTGRES_SEEDS=postgresql gave no call, as n8n's DB_POSTGRESDB_HOST does): POSTGRES_SEEDS,
# MYSQL_SEEDS, CASSANDRA_SEEDS and ES_SEEDS are addresses, a comma-separated host list, in compose and
# in a Kubernetes env (an unscanned Service's name there is an unresolved service, as *_HOST's is); a
# number under *_SEEDS names no peer.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/compose" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "compose: see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = sorted((e["from"].split("/")[-1], e["to"].split("/")[-1], ",".join(e.get("env", [])),
                e["evidence"][0]["line"]) for e in d["model"]["edges"] if e["kind"] == "calls")
want = [("cassandra-b", "cassandra-a", "CASSANDRA_SEEDS", 19),
        ("temporal", "elasticsearch", "ES_SEEDS", 32),
        ("temporal", "postgresql", "POSTGRES_SEEDS", 30),
        ("temporal-history", "cassandra-a", "CASSANDRA_SEEDS", 41),
        ("temporal-history", "cassandra-b", "CASSANDRA_SEEDS", 41),
        ("temporal-history", "mysql-a", "MYSQL_SEEDS", 40),
        ("temporal-history", "mysql-b", "MYSQL_SEEDS", 40)]
assert calls == want, calls
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/k8s" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "kubernetes: see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = sorted((e["from"], e["to"], ",".join(e.get("env", [])), e["evidence"][0]["line"])
               for e in d["model"]["edges"] if e["kind"] == "calls")
want = [("service:temporal/temporal", "service:search/elasticsearch", "ES_SEEDS", 22),
        ("service:temporal/temporal", "service:temporal/postgresql", "POSTGRES_SEEDS", 20)]
assert calls == want, calls
nodes = {n["id"]: n for n in d["model"]["nodes"]}
assert nodes["service:search/elasticsearch"].get("unresolved"), nodes["service:search/elasticsearch"]
PY
exit 0
