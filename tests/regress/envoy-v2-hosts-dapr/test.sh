# An Envoy on the v2 API (clusters' `hosts:` list, as Envoy 1.14 and older read it) routing to a Dapr
# sidecar on the loopback with a rewrite to /v1.0/invoke/<app-id>/method/ ended at the gateway (trial
# S5, eShopOnDapr's gateway): only load_assignment's endpoints were read as Dapr invocations. The
# v2 list is read the same way now; a plain host in it still routes to its Service.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
to = sorted(e["to"] for e in d["model"]["edges"] if e["kind"] == "routes" and e["from"].startswith("gateway:envoy:"))
assert to == ["service:store/assets", "service:store/cart"], to
PY
exit 0
