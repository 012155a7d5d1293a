# LiteLLM's `os.environ/NAME` (a reference to an environment variable, the documented way to keep keys
# out of its config) was reported as a credential written in the file (TM-SEC-006 high); a Slack
# webhook URL, whose path is its secret, and Weaviate's AUTHENTICATION_APIKEY_ALLOWED_KEYS were not
# credentials at all.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
import regress
d = json.load(open(sys.argv[1]))
titles = [m["title"] for m in regress.members(d["findings"], "TM-SEC-001", "TM-SEC-006")]
assert not [t for t in titles if "master_key" in t or "api_key" in t or "database_url" in t], titles
assert [t for t in titles if "ALERTS_WEBHOOK" in t], titles
assert not [t for t in titles if "EXAMPLE_WEBHOOK" in t], titles
assert [t for t in titles if "AUTHENTICATION_APIKEY_ALLOWED_KEYS" in t], titles
PY
exit 0
