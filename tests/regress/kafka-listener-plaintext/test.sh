# A Kafka broker with one SASL listener was "auth configured" though its published listener maps to
# PLAINTEXT: anyone who reaches that port produces and consumes. Now each listener is judged: a
# PLAINTEXT one (or SSL without required client certificates) other than the controller's is a
# no_auth fact naming it, reachable from the internet when its port is published, inside the compose
# network only (no_auth_internal_only) when not.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
import regress
d = json.load(open(sys.argv[1]))
n = {x["id"].rsplit("/", 1)[1]: x for x in d["model"]["nodes"] if x["kind"] == "queue"}
assert n["kafka"]["auth"] == "none" and n["kafka"]["no_auth"] == ["listener OUTSIDE (port 9092) is PLAINTEXT: it authenticates no client"], n["kafka"]
assert not n["kafka"].get("no_auth_internal_only"), n["kafka"]
assert n["kafka-inner"]["auth"] == "none" and n["kafka-inner"].get("no_auth_internal_only") is True, n["kafka-inner"]
assert "INTERNAL (port 9092)" in n["kafka-inner"]["no_auth"][0], n["kafka-inner"]
assert n["kafka-sasl"]["auth"] == "configured" and not n["kafka-sasl"].get("no_auth"), n["kafka-sasl"]
rows = regress.rows(d["findings"], "TM-DATA-002")
assert rows["kafka"][0] == "high" and "reachable from the internet" in rows["kafka"][1], rows
assert "reachable from the internet" not in rows["kafka-inner"][1], rows
assert "kafka-sasl" not in rows, rows
PY
