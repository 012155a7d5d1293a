# A document's file `size` in a PUT body was read as a page size: TM-API-008 "the caller decides
# how much work it does". A page size in a body counts for list and search operations only.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "TM-API-008"]
assert len(f) == 1 and "POST /api/v1/documents/search" in f[0]["title"] and "body:size" in f[0]["title"], f
PY
exit 0
