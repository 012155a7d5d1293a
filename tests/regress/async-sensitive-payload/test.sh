# The AsyncAPI edges carried sensitive_fields (cardNumber, cvv, password...) and no finding said so,
# while an API response with them is TM-API-007. TM-ASYNC-005: one finding per channel, secrets
# first, graded by who may subscribe (authenticated: medium for secrets, low for personal data only).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/authenticated" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "authenticated"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "TM-ASYNC-005"]
assert len(f) == 1, [x["title"] for x in d["findings"]]
t = f[0]["title"]
assert f[0]["severity"] == "medium" and t.startswith("queue:card.captured: every consumer receives card_number, cvv, holderEmail") \
    and "subscribers authenticate" in t, (f[0]["severity"], t)
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/open" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "open"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "TM-ASYNC-005"]
assert len(f) == 1 and f[0]["severity"] == "medium" and "email, phone" in f[0]["title"] \
    and "anyone who reaches the broker can subscribe" in f[0]["title"], [(x["severity"], x["title"]) for x in f]
PY
exit 0
