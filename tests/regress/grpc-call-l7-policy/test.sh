# A call a workload's configuration makes was judged as GET /: an Istio AuthorizationPolicy that
# admits the frontend for POST /hipstershop.CartService/* only (Online Boutique's pattern for gRPC)
# made TM-DRIFT-006 say the frontend's configured call is denied, who-can-call list no caller, and
# the walks drop the call. With no method or path asked, a request the rules' HTTP fields admit is
# looked for; the answer says "any request". A caller the policy does not admit stays denied.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
drift = [f["title"] for f in d["findings"] if f["rule"] == "TM-DRIFT-006"]
assert len(drift) == 1 and "checkoutservice" in drift[0], drift
PY
run_bounded 60 "$TRUSTMAP" query who-can-call shop/cartservice "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
callers = {c["source"]: c for c in d["callers"]}
fe = callers.get("service:shop/frontend")
assert fe and fe["request"] == "any request", d
assert "service:shop/checkoutservice" not in callers, callers
PY
# a request asked for is judged as asked: GET / is refused, the gRPC method admitted
run_bounded 60 "$TRUSTMAP" query can shop/frontend shop/cartservice "$CASE/in" --no-store --no-cache --path /
expect_exit 1
grep -q "^DENY (403)" "$WORK/out" || fail "GET / asked: $(head -2 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can shop/frontend shop/cartservice "$CASE/in" --no-store --no-cache \
  --method POST --path /hipstershop.CartService/GetCart
expect_exit 0
exit 0
