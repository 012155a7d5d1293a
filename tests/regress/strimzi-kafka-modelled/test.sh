# Strimzi's Kafka resources were "recognised, not modelled": a client naming
# <cluster>-kafka-bootstrap called a placeholder, a listener without authentication or TLS on a
# LoadBalancer said nothing, and a diff that added one (or widened a KafkaUser's ACLs to topic "*" /
# All) was "Review depth: none". The Kafka is a broker workload with a queue node beside it, its
# listeners ways in, its KafkaUsers identities with their ACLs.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/new" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "scan of new/"
import json, sys
d = json.load(open(sys.argv[1]))
assert not any("not modelled" in x["message"] for x in d["diagnostics"]), d["diagnostics"]
edges = {(e["from"], e["kind"], e["to"]) for e in d["model"]["edges"]}
assert ("service:events/billing", "calls", "service:events/orders-bus-kafka") in edges, edges
assert ("entrypoint:internet", "routes", "service:events/orders-bus-kafka") in edges, edges
assert ("identity:kafka:events/billing", "granted", "queue:events/orders-bus-kafka") in edges, edges
assert ("service:events/orders-bus-kafka", "writes", "queue:order-events") in edges, edges
f = {x["rule"]: x for x in d["findings"]}
t = f["TM-DATA-002"]
assert t["severity"] == "high" and "listener public (9094, loadbalancer, plaintext) has no authentication" in t["title"] \
    and "reachable from the internet" in t["title"], t["title"]
assert "listener public" in f["TM-MESH-013"]["title"], f["TM-MESH-013"]["title"]
w = f["TM-ASYNC-004"]["title"]
assert "Read on topic * (literal)" in w and "All on group billing (prefix)" in w, w
assert "TM-ID-001" not in f, f["TM-ID-001"]
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/in/old" "$CASE/in/new" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "diff old/ new/"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["review_depth"] == "deep-dive", d["review_depth"]
ch = [(c["trigger"], c["text"]) for c in d["changes"]]
assert any(t == "removed" and "now admits any client" in x and "listener public" in x for t, x in ch), ch
assert any(t == "new-service-identity" and "All on group billing" in x for t, x in ch), ch
assert any(t == "new-public-endpoint" and "orders-bus-kafka" in x for t, x in ch), ch
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/noauthz" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "scan of noauthz/"
import json, sys
d = json.load(open(sys.argv[1]))
f = {x["rule"]: x for x in d["findings"]}
t = f["TM-DATA-002"]
# the anonymous listener is internal; the exposed one authenticates (and is behind an internal LB)
assert t["severity"] == "medium" and "listener plain (9092, internal, plaintext)" in t["title"] \
    and "internet" not in t["title"], t["title"]
assert "authorizes none" in f["TM-ID-001"]["title"], f["TM-ID-001"]["title"]
assert "TM-MESH-013" not in f
edges = {(e["from"], e["kind"], e["to"]) for e in d["model"]["edges"]}
assert ("entrypoint:partner:private-network", "routes", "service:obs/telemetry-kafka") in edges, edges
assert not any(e[0] == "entrypoint:internet" for e in edges), edges
PY
# a listeners value that is not a list: said, and no listener read (not "configured")
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/badlisteners" --format json --no-store --no-cache
expect_exit 0 1
grep -q "spec.kafka.listeners is not a list" "$WORK/err" || { cat "$WORK/err" >&2; fail "a listeners scalar is not said"; }
exit 0
