# TM-API-006 (mass assignment) said POST /authorize "lets the client set permission": the field is
# the permission asked about, inside an array item of a decision request. Privileged fields inside
# array items, and the body of an operation that asks (authorize, search...), are not mass
# assignment; a top-level isAdmin on a create, and a bulk create's items, still are; an order
# line's price is still TM-BIZ-003.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ma = json.dumps([x for x in d["findings"] if x["rule"] == "TM-API-006"])
for quiet in ("/authorize", "/users/search", "/teams"):
    assert quiet not in ma, (quiet, ma)
for loud in ("POST /users ", "/accounts/import"):
    assert loud in ma or loud.strip() + "\"" in ma, (loud, ma)
biz = json.dumps([x for x in d["findings"] if x["rule"] == "TM-BIZ-003"])
assert "/orders" in biz and "price" in biz, biz
PY
exit 0
