# Emissary's own LoadBalancer and Contour's Envoy LoadBalancer were reported as services "exposed
# around the gateway" (TM-MESH-004), their Mappings and HTTPProxies hosted by nothing; Contour's
# HTTPProxy was "assumed reachable from the internet (its controller's exposure is not in the
# inputs)" with that exposure in the inputs (projectcontour/contour examples, datawire/amb-config).
# Emissary's pods and Contour's Envoy pods (Envoy beside Contour's bootstrap and shutdown manager)
# now host their route objects, as an ingress controller hosts its class's Ingresses.
. "$(dirname "$0")/../lib.sh"
for sys in emissary contour; do
run_bounded 60 "$TRUSTMAP" scan "$CASE/$sys" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" "$sys" <<'PY' || fail "$sys (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
host = {"emissary": "service:amb/emissary", "contour": "service:projectcontour/envoy"}[sys.argv[2]]
gws = [n for n in d["model"]["nodes"] if n["kind"] == "gateway"]
assert gws, d["model"]["nodes"]
for g in gws:
    assert host in g.get("hosted_by", []), g
    assert "assumed" not in g, g
bad = [f["title"] for f in d["findings"] if f["rule"] == "TM-MESH-004"]
assert not bad, bad
back = [k for k, v in d["exposure"].items() if k.startswith("service:") and host != k]
assert all(d["exposure"][k] == "internet" for k in back), d["exposure"]
PY
done
exit 0
