# A password in a URI written without its scheme (MH_MONGO_URI: admin:pw@mongodb:27017, trial T9 on
# OWASP crAPI's compose file) was no credential: only scheme://user:pass@ was read. The authority
# alone counts now; an e-mail address or a git remote (git@host:org/repo) does not.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
text = json.dumps([f for f in d["findings"] if f["rule"] == "TM-SEC-001"])
assert "MH_MONGO_URI" in text and "CONTACT" not in text and "GIT_REMOTE" not in text, text
PY
exit 0
