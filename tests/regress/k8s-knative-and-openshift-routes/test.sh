# A Knative Service (serving.knative.dev/v1, kind Service) was read as a core Service without a
# selector ("its endpoints are managed elsewhere"): its pods were no workload, nothing reached it,
# and a pod calling it called nothing. An OpenShift Route was not read at all, so the service it
# publishes was not internet-facing. Now a Knative Service is a workload (its pods carry
# serving.knative.dev/service, which policies select), a name the cluster resolves, and, unless
# labelled cluster-local, reached from outside through a route stated as an assumption when the
# domain is not scanned; a Route publishes its Service at its host, with TLS only when no plaintext
# is allowed beside it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
x = d["exposure"]
assert nodes["service:fn/hello"].get("workload") == "KnativeService", nodes.get("service:fn/hello")
assert x.get("service:fn/hello") == "internet", x.get("service:fn/hello")
gw = nodes["gateway:fn/hello"]
assert gw["gateway_type"] == "knative-route" and "config-domain" in gw.get("assumed", ""), gw
assert gw["hosts"] == ["hello.fn.<cluster domain>"], gw["hosts"]
assert x.get("service:fn/ledger") != "internet", x.get("service:fn/ledger")
assert "gateway:fn/ledger" not in nodes
assert ("service:fn/client", "service:fn/ledger") in edges, [k for k in edges if k[0] == "service:fn/client"]
assert nodes["service:fn/ledger"].get("ingress_isolated") is True, nodes["service:fn/ledger"]
assert not [m for m in d["diagnostics"] if "has no selector" in m["message"]], d["diagnostics"]
shop = nodes["gateway:store/shop"]
assert shop["gateway_type"] == "openshift-route" and shop["tls"] is False, shop
assert "plaintext" in shop["tls_termination"][0], shop["tls_termination"]
assert nodes["gateway:store/shop-secure"]["tls"] is True
sec = edges[("gateway:store/shop-secure", "service:store/shop")]
assert sec["allow_lists"][0].startswith("source ranges 192.168.1.0/24 10.0.0.0/8 (haproxy.router.openshift.io/ip_whitelist)"), sec
r = edges[("gateway:store/shop", "service:store/shop")]
assert r["paths"] == ["/cart"] and r["hosts"] == ["shop.apps.example.com"], r
assert x.get("service:store/shop") == "internet", x.get("service:store/shop")
PY
run_bounded 60 "$TRUSTMAP" query can fn/client fn/ledger "$CASE/in"
head -c 5 "$WORK/out" | grep -q ALLOW || fail "client -> ledger: $(head -3 "$WORK/out")"
exit 0
