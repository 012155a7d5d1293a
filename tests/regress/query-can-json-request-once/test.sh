# query can --format json wrote the key "request" twice in one object (the request asked, then the
# evaluated request as a string): most parsers kept only the string. Every object must have each key once.
. "$(dirname "$0")/../lib.sh"
SHOP="$CASE/../../../examples/shop"
check_unique() {
  python3 - "$WORK/out" <<'PY' || fail "duplicate JSON key: $*"
import json, sys
def pairs(kv):
    keys = [k for k, _ in kv]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        sys.exit("duplicate keys %s in an object" % dup)
    return dict(kv)
doc = json.load(open(sys.argv[1]), object_pairs_hook=pairs)
assert isinstance(doc["request"], dict), "request is not the request object"
PY
}
run_bounded 60 "$TRUSTMAP" query can internet shop/orders --method POST --path /api/v1/orders --format json "$SHOP"
expect_exit 0 1
check_unique "query can"
run_bounded 60 "$TRUSTMAP" query can shop/orders shop/payments --tcp --format json "$SHOP"
expect_exit 0 1
check_unique "query can --tcp"
run_bounded 60 "$TRUSTMAP" query who-can-call shop/payments --format json "$SHOP"
expect_exit 0 1
check_unique "who-can-call"
exit 0
