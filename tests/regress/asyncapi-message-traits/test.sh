# AsyncAPI message traits were not applied: a message taking eventId and timestamp headers and a
# correlationId from a shared trait (The-Microservice-Dungeon/game's DefaultTradingKafkaMessage) was
# reported TM-ASYNC-002 "no id, timestamp or signature". A trait's headers and correlationId are the
# message's.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [f["title"] for f in d["findings"] if f["rule"] == "TM-ASYNC-002"], "TM-ASYNC-002"
prot = {p for e in d["model"]["edges"] for p in e.get("replay_protection", [])}
assert "correlation-id" in prot and len(prot) >= 2, prot
PY
exit 0
