# A LoadBalancer put on a backend the frontend calls (microservices-demo's cartservice) was TM-MESH-004
# low, "its only way in", as for a system's own entry: it is a way around the service in front of it,
# medium, and the finding names the caller.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/new" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "TM-MESH-004"]
one = {a["node"]: a for x in f for a in (x.get("affected") or [x | {"node": x["subject"]}])}
cart, front = one["service:shop/cartservice"], one["service:shop/frontend"]
assert cart["severity"] == "medium", cart
assert "though it is a backend other services call (service:shop/frontend)" in cart["title"], cart
assert front["severity"] == "low", front  # the system's own entry: its only way in
PY
exit 0
