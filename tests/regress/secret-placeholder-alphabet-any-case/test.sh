# A typed alphabet run was a placeholder only in lowercase: the README's GITHUB_TOKEN
# "ABCDEFGHIJKLMNOPQRST" in a Secret was TM-SEC-003 high and failed a --fail-on high gate. A run is a
# placeholder whatever its case, and so is the whole row of digits ("1234567890"); a real token and
# the weak password "123456" (deployments do run with it) are still reported.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
import regress
d = json.load(open(sys.argv[1]))
titles = [m["title"] for m in regress.members(d["findings"], "TM-SEC-003")]
text = "\n".join(titles)
assert "runner-tokens" not in text, text
assert "runner-real" in text, text
PY
