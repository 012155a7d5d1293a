# A sign-in by GET (username and password in the query string) got no TM-API-013 although POST
# /auth/login did, its username was a BOLA object id (TM-API-002), and nothing said a password or a
# token rode in the URL. TM-API-013 takes a GET that carries the password; TM-API-012 reports a
# credential in a query or path parameter (not a page token); the sign-in's username and the path
# token are no object ids.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
def about(rule):
    return [x for x in d["findings"] if x["rule"] == rule]
bf = json.dumps(about("TM-API-013"))
assert "GET /user/login" in bf and "POST /auth/login" in bf, bf
weak = [a["title"] for x in about("TM-API-012") for a in x.get("affected") or [x]]
assert len(weak) == 2, weak
assert any("GET /user/login takes password in the URL query string" in t for t in weak), weak
assert any("takes playerToken in the URL path" in t for t in weak), weak
ids = [a["title"].split(" takes ")[-1] for x in about("TM-API-002") for a in x.get("affected") or [x]]
assert ids and not [t for t in ids if "username" in t or "playerToken" in t], ids
PY
exit 0
