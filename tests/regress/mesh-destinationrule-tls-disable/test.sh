# A DestinationRule turning mTLS off on the client side (trafficPolicy.tls.mode: DISABLE, as
# hb-chen/micro-mesh does for every service) raised nothing: TM-MESH-005 read PeerAuthentications
# only, and `query` alone said the sidecar sends plaintext. A workload whose pods run a sidecar and
# that a DestinationRule makes its callers reach in plaintext is TM-MESH-005; one outside the mesh
# is not.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "TM-MESH-005"]
titles = [x["title"] for x in f]
assert len(f) == 1 and "service:shop/orders is called in plaintext" in titles[0], titles
assert f[0]["evidence"][0]["line"] == 50, f[0]["evidence"]
assert "ISTIO_MUTUAL" in f[0]["action"]["text"], f[0]["action"]
PY
exit 0
