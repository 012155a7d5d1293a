# Channels of an AsyncAPI spec whose only broker is a public host (mqtt://broker.hivemq.com) sat in
# a "Kubernetes cluster" boundary the inputs never describe, and `paths --from internet` reached
# nothing though anyone on the internet publishes there (trial S10). Such a channel is in the
# internet's boundary with a publish edge from the internet; a broker in the cluster stays there.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
q = [n for n in d["model"]["nodes"] if n["id"] == "queue:alerts/raised"][0]
assert q["boundary"] == "internet", q
assert any(e["from"] == "entrypoint:internet" and e["to"] == q["id"] for e in d["model"]["edges"]), d["model"]["edges"]
PY
run_bounded 60 "$TRUSTMAP" paths "$CASE/in" --no-cache --from internet --to queue:alerts/raised
grep -q "1 path to the target" "$WORK/out" || { cat "$WORK/out" >&2; fail "the internet does not reach the channel"; }
run_bounded 60 "$TRUSTMAP" scan "$CASE/in2" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
q = [n for n in d["model"]["nodes"] if n["id"] == "queue:alerts/raised"][0]
assert q["boundary"] == "cluster", q
PY
exit 0
