# Dapr's control-plane Configuration (daprsystem) with spec.mtls.enabled false makes every sidecar
# take plaintext, unauthenticated calls: TM-MESH-005, one finding listing the Dapr apps, as Istio's
# PeerAuthentication DISABLE. An app's own Configuration's mtls is not read by Dapr (a note says
# so); its accessControl (defaultAction allow, no policies) is recorded on the apps using it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "TM-MESH-005"]
assert len(f) == 1 and "2 Dapr apps in the cluster take plaintext" in f[0]["title"] and "daprsystem" in f[0]["title"], f
assert f[0]["evidence"][0]["path"] == "dapr.yaml" and f[0]["evidence"][0]["line"] == 8, f
notes = [x for x in d["diagnostics"] if "Configuration 'bank-policy'" in x["message"] and "daprsystem" in x["message"]]
assert len(notes) == 1, d["diagnostics"]
n = {x["id"]: x for x in d["model"]["nodes"]}
ac = n["service:bank/ledger"].get("dapr_access_control")
assert ac and "any Dapr app may invoke" in ac[0], n["service:bank/ledger"]
assert "dapr_access_control" not in n["service:bank/teller"]
PY
exit 0
