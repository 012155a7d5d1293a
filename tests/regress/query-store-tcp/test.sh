# `query who-can-call` on a Kafka broker listed each caller as "GET /": an HTTP request to a broker
# no client speaks HTTP to. A destination running a store or broker with a protocol of its own is now
# asked for a connection ("tcp"); an HTTP store (Elasticsearch) is still asked GET /, and an
# explicit --method or --path is asked as given.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query who-can-call events "$CASE/in" --no-store --format json
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
reqs = {c.get("request") for c in d["callers"]}
assert reqs == {"tcp"}, d["callers"]
PY
run_bounded 60 "$TRUSTMAP" query can orders search "$CASE/in" --no-store --format json
expect_exit 0 1
python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert v["evaluated"] == "GET /", v["evaluated"]' "$WORK/out" ||
	fail "an HTTP store is asked GET /"
run_bounded 60 "$TRUSTMAP" query can orders events --path /metrics "$CASE/in" --no-store --format json
expect_exit 0 1
python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert v["evaluated"] == "GET /metrics", v["evaluated"]' "$WORK/out" ||
	fail "a path asked is asked"
