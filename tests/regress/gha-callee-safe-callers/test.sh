# A reusable workflow's (or local action's) flows from its inputs were reported (TM-CICD-005 low)
# though every caller in the scan passes a SHA, a number or a constant; and a called workflow with no
# permissions block got TM-CICD-003 "repository default applies", though its token is its caller's.
# Without a caller in the scan (in2) both stay, as before.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
bad = [(x["rule"], x["title"]) for x in d["findings"] if x["rule"] in ("TM-CICD-005", "TM-CICD-003")]
assert not bad, bad
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in2" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
rules = sorted(x["rule"] for x in d["findings"])
assert "TM-CICD-005" in rules and "TM-CICD-003" in rules, rules
PY
exit 0
