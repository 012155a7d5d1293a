#!/usr/bin/env bash
# spring-petclinic-microservices, piggymetrics: a gateway written in the gateway application's own
# configuration (Spring Cloud Gateway's spring.cloud.gateway.routes, Netflix Zuul's zuul.routes) made
# only calls edges from the gateway's workload: no gateway, no routes, so the backends were never
# exposed through it and its checks were never weighed. Now each route is a routes edge from a
# gateway hosted by the workload whose directory holds the file, with its paths (Path predicates, an
# Ant pattern's prefix, zuul.prefix in front), hosts, a rate limit from default-filters and the JWT
# check a resource server's issuer-uri turns on; forward: stays in the gateway and a test's
# configuration makes no gateway. lb://NAME also finds the application registered as NAME
# (spring.application.name), without case; each YAML document's routes are its own; the discovery
# locator is a fact and a note; a predicate's switch (matchTrailingSlash) is no path.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nm = lambda i: i.split("/")[-1]
gws = {n["id"]: n for n in d["model"]["nodes"] if n["kind"] == "gateway"}
scg = [g for g in gws if g.startswith("gateway:spring-cloud-gateway:api-gateway/src/main/")]
zuul = [g for g in gws if g.startswith("gateway:zuul:edge/")]
assert len(scg) == 1 and len(zuul) == 1, sorted(gws)
assert not any("src/test" in g for g in gws), sorted(gws)
assert gws[scg[0]].get("hosted_by") == ["service:compose:default/api-gateway"], gws[scg[0]]
routes = {(e["from"], nm(e["to"])): e for e in d["model"]["edges"] if e["kind"] == "routes"}
c = routes.get((scg[0], "customers-service"))
assert c and sorted(c["paths"]) == ["/api/customer", "/api/owners"], c
assert c["authn"] == "jwt" and "issuer-uri" in c["authn_checks"][0], c
assert c.get("rate_limits") and "RequestRateLimiter" in c["rate_limits"][0], c
v = routes.get((scg[0], "vets-service"))
assert v and v["paths"] == ["/api/vet"] and v.get("hosts") == ["*.petclinic.example"], v
assert not any(k[0] == scg[0] and k[1] == "fallback" for k in routes), routes.keys()
a = routes.get((zuul[0], "auth-service"))
assert a and a["paths"] == ["/api/uaa"] and a["authn"] == "none", a
acc = routes.get((zuul[0], "accounts"))
assert acc and acc["paths"] == ["/api/accounts"], acc
calls = [e for e in d["model"]["edges"] if e["kind"] == "calls" and nm(e["from"]) == "api-gateway" and nm(e["to"]) == "customers-service"]
assert calls and calls[0].get("proxied_by") == scg[0], calls
assert d["exposure"]["service:compose:default/customers-service"] == "internet", d["exposure"]
# a route of the file's second document (a profile's) is a route of its own, by its discovery name
# (lb://ORDERS, matched without case, is the application registered as "orders")
o = routes.get((scg[0], "orders-svc"))
assert o and o["paths"] == ["/orders"], o
assert c["paths"] != ["/orders"] and "/orders" not in c["paths"], c
assert not gws[scg[0]].get("unresolved_upstreams"), gws[scg[0]]
assert gws[scg[0]].get("discovery_locator"), gws[scg[0]]
assert any("discovery locator" in x["message"] for x in d["diagnostics"]), d["diagnostics"]
assert v["paths"] == ["/api/vet"], "a switch of the predicate is no path: %s" % v
PY
exit 0
