# Two HTTPRoutes to one backend, an Envoy Gateway SecurityPolicy (JWT) on one of them
# (envoyproxy/gateway examples/kubernetes/jwt): the gateway's one edge to the backend carried the
# weaker route's check (none) and no route's own, so `query --path /orders` said ALLOW (200),
# TM-MESH-002 was silent, and a diff deleting the SecurityPolicy said "no change". Each Gateway API
# route now records its own check on the edge (route_checks), as gateway files' routes do.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can internet demo/backend "$CASE/in" --path /orders --no-cache
expect_exit 0 1
grep -q "DENY" "$WORK/out" && grep -q "401" "$WORK/out" || fail "/orders without a token: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can internet demo/backend "$CASE/in" --path /status --no-cache
expect_exit 0 1
grep -q "ALLOW" "$WORK/out" || fail "/status: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "TM-MESH-002 (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "TM-MESH-002"]
assert len(f) == 1 and "/orders" in f[0]["title"] and "/status" in f[0]["title"], [x["title"] for x in d["findings"]]
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/in" "$CASE/new" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "diff (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
s = json.dumps(d)
assert d["review_depth"] == "deep-dive", d["review_depth"]
assert "TM-MESH-002" in s, "the resolved MESH-002 is not in the review"
PY
exit 0
