# Dapr's service invocation addresses an app by its app-id, not by a Kubernetes Service name: an
# Envoy route rewriting to /v1.0/invoke/cart-api/method/ on the loopback sidecar went to the Service
# called cart-api (a legacy workload), and an env var invoking an app through the local sidecar drew
# no call. Both resolve to the workload whose dapr.io/app-id (or compose daprd --app-id, whose app is
# the service it shares the network of) is that id; an id no workload has is said in a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/k8s" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "k8s: see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = {(x["from"], x["to"], x["kind"]): x for x in d["model"]["edges"]}
gw = [k for k in e if k[0].startswith("gateway:envoy:") and k[2] == "routes"]
assert [k[1] for k in gw] == ["service:market/cart"], gw
c = e.get(("service:market/checkout", "service:market/cart", "calls"))
assert c and c.get("dapr_app_id") == "cart-api" and c.get("env") == ["CartHealthUrl"], c
notes = [x["message"] for x in d["diagnostics"] if "invokes Dapr app 'stock'" in x["message"]]
assert len(notes) == 1, d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/compose" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "compose: see above"
import json, sys
d = json.load(open(sys.argv[1]))
n = {x["id"]: x for x in d["model"]["nodes"]}
assert n["service:compose:default/cart"].get("dapr_app_id") == "cart-api", n["service:compose:default/cart"]
assert n["service:compose:default/checkout"].get("dapr_app_id") == "checkout"
e = [(x["from"], x["to"]) for x in d["model"]["edges"] if x["kind"] == "calls"]
assert ("service:compose:default/checkout", "service:compose:default/cart") in e, e
PY
exit 0
