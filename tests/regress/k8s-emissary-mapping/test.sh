# An Emissary-ingress (Ambassador) Mapping was not read (listed under inputs[].not_modelled), so a
# Service published only through Emissary looked internal: a false negative on internet exposure.
# Now each Mapping is a gateway (gateway_type emissary-mapping) reached from where Emissary's listener
# is (the internet; the private network when only internal load balancers expose Emissary's pods; an
# assumption the gateway states when no Service in the inputs exposes them), routing to the Service
# its service string names ("quote", "quote:80", "quote.backend:80", "http://quote.backend", the
# cluster's full name), or to a third party (httpbin.org); an AuthService is the routes' external
# authentication unless bypass_auth, which the gateway records; a Mapping's labels with a
# RateLimitService are a rate limit; tls comes from the Host of the Mapping's hostname. A Mapping
# without a service string is a positioned warning, an address or a Service not scanned a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "emissary mappings (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
x = d["exposure"]
diags = d["diagnostics"]
inputs = {i["path"]: i for i in d["inputs"]}
assert not [i for i in d["inputs"] if i.get("not_modelled")], d["inputs"]
assert inputs["mappings.yaml"]["modelled"] == inputs["mappings.yaml"]["documents"] == 12, inputs.get("mappings.yaml")
# quote, ledger and status are published only through Emissary
for s in ("service:backend/quote", "service:backend/ledger", "service:backend/status"):
    assert x.get(s) == "internet", (s, x.get(s))
assert x.get("service:emissary/example-auth") != "internet", x.get("service:emissary/example-auth")
gw = nodes["gateway:mapping:backend/quote-backend"]
assert gw["gateway_type"] == "emissary-mapping" and "hosts" not in gw, gw
# Emissary's own LoadBalancer Service is in the inputs: nothing is assumed
assert "assumed" not in gw, gw
e = edges[("entrypoint:internet", "gateway:mapping:backend/quote-backend")]
assert e["via"] == "Emissary Mapping", e
# every form of the service string reaches the quote workload
for m, path in (("backend/quote-backend", "/backend/"), ("backend/quote-port", "/quote-port/"),
                ("emissary/quote-tls", "/q/"), ("default/quote-url", "/url/")):
    r = edges[("gateway:mapping:" + m, "service:backend/quote")]
    assert r["paths"] == [path] and r["k8s_services"] == ["quote"], (m, r)
    # the AuthService applies to every Mapping that does not bypass it
    assert r["authn"] == "unknown" and r["enforced_at"] == "gateway", (m, r)
    assert r["authn_checks"][0].startswith("external authentication (AuthService emissary/authentication, "
                                           "auth_service example-auth.emissary:3000) at emissary.yaml:"), r
st = edges[("gateway:mapping:emissary/status-public", "service:backend/status")]
assert "authn_checks" not in st and st["paths"] == ["/status/"], st
assert nodes["gateway:mapping:emissary/status-public"]["auth_bypassed"][0].startswith("bypass_auth: true"), nodes["gateway:mapping:emissary/status-public"]
# hostname, and tls from its Host (a wildcard Host that also routes plaintext is no TLS)
tls = nodes["gateway:mapping:emissary/quote-tls"]
assert tls["hosts"] == ["quote.example.com"] and tls["tls"] is True, tls
assert edges[("gateway:mapping:emissary/quote-tls", "service:backend/quote")]["hosts"] == ["quote.example.com"]
url = nodes["gateway:mapping:default/quote-url"]
assert url["tls"] is False and "Route" in url["tls_host"][0], url
assert "tls" not in gw, gw
assert edges[("gateway:mapping:default/quote-url", "service:backend/quote")]["rate_limits"][0].startswith(
    "rate limit labels (RateLimitService emissary/ratelimit"), edges[("gateway:mapping:default/quote-url", "service:backend/quote")]
assert "rate_limits" not in edges[("gateway:mapping:backend/quote-backend", "service:backend/quote")]
# a regular expression prefix is a pattern, not a path
lr = edges[("gateway:mapping:backend/ledger-regex", "service:backend/ledger")]
assert lr.get("path_patterns") == ["/ledger/v[0-9]+/"] and "paths" not in lr, lr
# a third party, a redirect, an address, a Service not scanned
hb = edges[("gateway:mapping:default/httpbin", "external:httpbin.org")]
assert hb["paths"] == ["/httpbin/"] and nodes["external:httpbin.org"]["kind"] == "external", hb
assert not [k for k in edges if k[0] == "gateway:mapping:default/to-www" and k[1] != "gateway:mapping:default/to-www"], edges
assert nodes["gateway:mapping:default/to-www"]["redirect"] == ["host_redirect: true, to www.example.com"]
assert not [n for n in nodes if n.startswith("external:10.") or n.startswith("external:www.")], sorted(nodes)
def diag(text, line):
    hit = [m for m in diags if text in m["message"]]
    assert hit and hit[0]["path"] == "mappings.yaml" and hit[0]["line"] == line, (text, hit, diags)
    return hit[0]
diag("mapping 'billing' routes to service 'legacy-billing', which selects no workload", 59)
diag("mapping 'by-address' routes to 10.0.12.7:8080, an address", 74)
assert diag("mapping 'no-service' has no service", 88)["severity"] == "warning"
assert diag("mapping 'service-map': service is not a string", 95)["severity"] == "warning"
assert "gateway:mapping:default/no-service" not in nodes and "gateway:mapping:default/service-map" not in nodes
PY
# Emissary's deployment not in the inputs: the internet is an assumption the gateway states; no
# AuthService: no authentication.
run_bounded 60 "$TRUSTMAP" scan "$CASE/in-assumed" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "emissary listener assumed (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
gw = nodes["gateway:mapping:shop/web"]
assert "LoadBalancer" in gw.get("assumed", "") and "not in the inputs" in gw["assumed"], gw
assert edges[("entrypoint:internet", "gateway:mapping:shop/web")]["via"] == "Emissary Mapping"
r = edges[("gateway:mapping:shop/web", "service:shop/web")]
assert r.get("enforced_at") != "gateway" and "authn_checks" not in r and r["hosts"] == ["shop.example.com"], r
assert gw["auth_bypassed"] == ["bypass_auth: true (no AuthService in the inputs)"], gw
assert d["exposure"]["service:shop/web"] == "internet", d["exposure"]
PY
# Emissary behind internal load balancers only: its Mappings serve the private network.
run_bounded 60 "$TRUSTMAP" scan "$CASE/in-internal" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "emissary behind an internal load balancer (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
assert not [k for k in edges if k == ("entrypoint:internet", "gateway:mapping:ops/admin-ui")], edges.keys()
# the way in, besides the routes edge from Emissary's pods that host the Mapping
e = [v for k, v in edges.items() if k[1] == "gateway:mapping:ops/admin-ui" and v.get("via") != "runs its controller"]
assert len(e) == 1 and "aws-load-balancer-internal" in e[0].get("internal", ""), e
assert "service:ambassador/ambassador" in nodes["gateway:mapping:ops/admin-ui"].get("hosted_by", []), nodes["gateway:mapping:ops/admin-ui"]
assert "assumed" not in nodes["gateway:mapping:ops/admin-ui"], nodes["gateway:mapping:ops/admin-ui"]
assert d["exposure"]["service:ops/admin-ui"] != "internet", d["exposure"]
assert ("gateway:mapping:ops/admin-ui", "service:ops/admin-ui") in edges
PY
exit 0
