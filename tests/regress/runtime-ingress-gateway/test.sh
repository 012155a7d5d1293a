# The ingress gateway's pods, seen by Kiali as workload istio-system/istio-ingressgateway, were an
# unknown service of their own, and their call to productpage (which the Gateway, selector
# istio: ingressgateway, and the VirtualService route there) a TM-DRIFT-001 "no manifest declares it".
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$CASE/system"
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
drift = [f["title"] for f in d["findings"] if f["rule"] == "TM-DRIFT-001"]
assert not drift, f"undeclared-call findings: {drift}"
ids = {n["id"] for n in d["model"]["nodes"]}
assert not [i for i in ids if i.startswith("service:observed:")], f"unmapped nodes: {sorted(ids)}"
edges = [e for e in d["model"]["edges"] if e["kind"] == "calls"
         and e["from"] == "gateway:istio:books/books-gateway" and e["to"] == "service:books/productpage-v1"]
assert edges and "observed" in edges[0] and "observed_only" not in edges[0], f"gateway call: {edges}"
PY
