# A diff that publishes a store already in a fold of unauthenticated stores called it "new here:
# db (1 already there)", as if the store had just appeared. A member that was there at a lower
# severity is raised, not new: "raised here: ... (1 unchanged)", JSON "change": "raised"; one that
# joined is still "new".
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --no-store --no-cache
expect_exit 0
grep -q "raised here: .*datastore:compose:tracker/db.* (1 unchanged)" "$WORK/out" || fail "md: $(grep DATA-002 "$WORK/out")"
grep -q "new here: .*datastore:compose:tracker/db" "$WORK/out" && fail "md: called new"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --no-store --no-cache --format json
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings_new"] if f["rule"] == "TM-DATA-002"]
assert f, [x["rule"] for x in d["findings_new"]]
ch = {a["node"]: a.get("change") for a in f[0]["affected"]}
assert ch.get("datastore:compose:tracker/db") == "raised", ch
assert ch.get("datastore:compose:tracker/cache") is None, ch
PY
exit 0
