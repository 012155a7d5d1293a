# GKE's internal Gateway classes (gke-l7-rilb and the cross-regional internal ones) and a Gateway
# whose spec.infrastructure.annotations ask for an internal load balancer were modelled as
# internet-facing (theemadnes/grpc-gateway-internal-example: TM-MESH-013 "serves its routes to the
# internet", query ALLOW from the internet). They are reached from the private network, saying why.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
x = d["exposure"]
assert x["gateway:gwapi:demo/internal-http"] == "partner", x
assert x["service:demo/whereami-grpc"] == "partner", x
assert x["gateway:gwapi:demo/private-edge"] == "partner", x
assert x["gateway:gwapi:demo/public-edge"] == "internet", x
e = {(a["from"], a["to"]): a for a in d["model"]["edges"]}
assert "gke-l7-rilb" in e[("entrypoint:partner:private-network", "gateway:gwapi:demo/internal-http")]["internal"]
assert "aws-load-balancer-scheme" in e[("entrypoint:partner:private-network", "gateway:gwapi:demo/private-edge")]["internal"]
assert not [f for f in d["findings"] if f["rule"] == "TM-MESH-013" and "internal-http" in f["title"]]
PY
run_bounded 60 "$TRUSTMAP" query can internet demo/whereami-grpc "$CASE/in" --no-store --no-cache
expect_exit 1
grep -q "^DENY (unreachable)" "$WORK/out" || fail "internet -> an internal gateway's backend: $(head -3 "$WORK/out")"
exit 0
