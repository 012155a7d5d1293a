# A pod annotated dapr.io/enabled runs the injected Dapr sidecar, whose API (3500 HTTP, 50001 gRPC)
# invokes every app and reads state and secrets. A NodePort opening those ports reached nothing in
# the model (eShopOnDapr's apigateway Service publishes 30052->3500). Dapr's injector binds the API
# to the loopback unless dapr.io/sidecar-listen-addresses widens it: open -> TM-MESH-012 high naming
# the NodePorts; the default -> no finding and a note at the Service port that reaches nothing;
# dapr.io/api-token-secret -> a token is asked, no finding. The app-id is kept on the workload.
. "$(dirname "$0")/../lib.sh"
check() {
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$1" --format json --no-store --no-cache
  expect_exit 0 1
  python3 - "$WORK/out" "$1" <<'PY' || fail "$1: see above"
import json, sys
d, case = json.load(open(sys.argv[1])), sys.argv[2]
f = [x for x in d["findings"] if x["rule"] == "TM-MESH-012"]
w = [n for n in d["model"]["nodes"] if n["id"] == "service:market/frontdoor"][0]
assert w.get("dapr_app_id") == "frontdoor", w
notes = [x["message"] for x in d["diagnostics"] if "Dapr sidecar's API listens on the loopback" in x["message"]]
if case == "open":
    assert len(f) == 1 and f[0]["severity"] == "high", f
    assert "Dapr sidecar API" in f[0]["title"] and "30500->3500" in f[0]["title"] and "30501->50001" in f[0]["title"], f
    assert not notes, notes
elif case == "loopback":
    assert not f, f
    assert len(notes) == 2, notes
else:
    assert not f and not notes, (f, notes)
PY
}
check open
check loopback
check token
exit 0
