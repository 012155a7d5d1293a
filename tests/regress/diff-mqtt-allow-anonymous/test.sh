# A change turning Mosquitto's allow_anonymous on was "Review depth: none, 0 changes", where the
# same change to redis (dropping --requirepass) is a deep-dive with a new high TM-DATA-002 (trial
# AI-3). Now the broker's configuration file is an input and the review shows the new finding.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/in/base" "$CASE/in/head" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["review_depth"] == "deep-dive", d["review_depth"]
new = [f for f in d["findings_new"] if f["rule"] == "TM-DATA-002"]
assert len(new) == 1 and new[0]["severity"] == "high" and "allow_anonymous true" in new[0]["title"], d["findings_new"]
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/in/base" "$CASE/in/head" --no-store --no-cache
grep -q "Review depth: deep-dive" "$WORK/out" || { cat "$WORK/out" >&2; fail "not a deep-dive"; }
grep -q "| high | \`TM-DATA-002\`" "$WORK/out" || { cat "$WORK/out" >&2; fail "no new high TM-DATA-002"; }
exit 0
