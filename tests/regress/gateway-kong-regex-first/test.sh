# Kong tries regular-expression routes before prefixes (Kong/kong#4121): with `/orders` (key-auth)
# and `~/orders/admin/.*$` (no plugin), POST /orders/admin/purge is the regex route's and needs no
# credential. The operation was credited with the prefix route's key-auth, so TM-API-001 stayed
# silent; `query --path` read the prefix route too.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert any(f["rule"] == "TM-API-001" and "/orders/admin/purge" in f["title"] for f in d["findings"]), [f["title"] for f in d["findings"]]
PY
run_bounded 60 "$TRUSTMAP" query can internet orders --method POST --path /orders/admin/purge "$CASE/in" --no-store --no-cache
expect_exit 0 1
grep -q "^ALLOW" "$WORK/out" || { cat "$WORK/out" >&2; fail "purge: expected ALLOW"; }
run_bounded 60 "$TRUSTMAP" query can internet orders --path /orders/1 "$CASE/in" --no-store --no-cache
expect_exit 0 1
grep -q "^DENY (401)" "$WORK/out" || { cat "$WORK/out" >&2; fail "/orders/1: expected 401"; }
exit 0
