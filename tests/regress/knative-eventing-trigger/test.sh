# Knative Eventing was not modelled: a Trigger delivering a Broker's events to a Service left the
# subscriber with no caller ("0 of 1 sources can call"). A Broker is now a queue node whose ingress is
# stated to accept unauthenticated events from any pod; each Trigger a calls edge from it to the
# subscriber's workloads (POST, spec.subscriber.uri's path), and a SinkBinding's subjects publish to
# the Broker its sink names. A subscriber that is no map, or a subject that is no map, is a warning.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/ok" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = {(x["from"], x["to"], x["kind"]): x for x in d["model"]["edges"]}
n = {x["id"]: x for x in d["model"]["nodes"]}
b = "queue:broker:default/bookstore-broker"
assert n[b]["kind"] == "queue" and "without authentication" in n[b]["assumed"], n[b]
c = e[(b, "service:default/node-server", "calls")]
assert c["paths"] == ["/insert"] and c["evidence"][0]["line"] == 19, c
assert ("service:default/node-server", b, "publishes") in e
PY
run_bounded 60 "$TRUSTMAP" query who-can-call default/node-server-svc "$CASE/in/ok" --no-store --no-cache
grep -q "delivered by queue:broker:default/bookstore-broker  POST /insert" "$WORK/out" || fail "who-can-call: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/bad" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
msgs = [(x["severity"], x["line"], x["message"]) for x in d["diagnostics"]]
assert any(s == "warning" and l == 9 and "spec.subscriber is no map" in m for s, l, m in msgs), msgs
assert any(s == "note" and "'missing'" in m for s, l, m in msgs), msgs
assert any(s == "warning" and l == 32 and "spec.subject" in m for s, l, m in msgs), msgs
PY
exit 0
