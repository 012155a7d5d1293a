# A search result's `location` (a URL: format uri, or described as a URL or link) was read as personal
# data: TM-API-007 "returns location", and that made a read-only, optionally authenticated search a
# HIGH TM-API-001. A plain `location` stays personal data. The endpoint table printed the anonymous
# alternative twice ("**none required**; or `JWT`, `anonymous`").
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
q = [x for x in d["findings"] if "/query" in json.dumps(x)]
assert not q, q
p = [x for x in d["findings"] if x["rule"] == "TM-API-007"]
assert len(p) == 1 and "/devices/" in p[0]["title"] and "location" in p[0]["title"], p
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
row=$(grep -F '`GET /query`' "$WORK/out" | head -1)
case "$row" in
  *'**none required**; or `JWT` |'*) ;;
  *) fail "endpoint row: $row" ;;
esac
exit 0
