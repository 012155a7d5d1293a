# F5 NGINX Ingress Controller's VirtualServer was not read: it was listed under not_modelled and
# the Services it publishes looked internal. Now a VirtualServer is a gateway reached from the
# internet, routing each path to its upstreams' Services (pass, proxy.upstream, splits, matches; a
# Service of another namespace), through a VirtualServerRoute a route names or selects by its
# labels, with the checks of its Policies: spec-level ones under the route's, kind by kind (a
# route's deny rule replaces the server's allow-list), a subroute's own replacing its route's; an
# allow-list of private ranges only keeps the internet out. A Kyverno Policy of the same name is
# not taken for an NGINX one. An upstream not defined, a Policy not in the files, ingressMTLS on a
# route, routes that are no list and a VirtualServerRoute no VirtualServer names are said, not
# guessed. Two routes to one Service keep the weaker check.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
x = d["exposure"]
diags = [(m["path"], m["line"], m["message"]) for m in d["diagnostics"]]
msgs = [m for _, _, m in diags]
cafe = nodes["gateway:virtualserver:cafe/cafe"]
assert cafe["gateway_type"] == "nginx-virtualserver" and cafe["tls"] is True, cafe
assert cafe["hosts"] == ["cafe.example.com"] and cafe["ingress_class"] == "nginx", cafe
assert edges[("entrypoint:internet", "gateway:virtualserver:cafe/cafe")]["via"] == "VirtualServer"
# spec.policies (a rate limit) on every route; the route's allow-list and JWT on /admin
adm = edges[("gateway:virtualserver:cafe/cafe", "service:cafe/admin")]
assert adm["authn"] == "jwt" and adm["authn_checks"][0].startswith("nginx jwt policy admin-jwt at policies.yaml:"), adm
assert adm["private_sources_only"] is True and "10.0.0.0/8 192.168.0.0/16" in adm["allow_lists"][0], adm
assert adm["rate_limits"][0].startswith("nginx rateLimit policy rate-limit 10r/s at policies.yaml:"), adm
assert x["service:cafe/admin"] != "internet", x
# /coffee has no check of its own; /sso to the same Service names a Policy not scanned: the weaker stands
cof = edges[("gateway:virtualserver:cafe/cafe", "service:cafe/coffee")]
assert cof["authn"] == "none" and cof["paths"] == ["/coffee", "/sso"], cof
assert x["service:cafe/coffee"] == "internet", x
assert any("names Policy 'cafe/sso', which is not in the scanned files" in m for m in msgs), msgs
# splits and matches reach every upstream they name
for svc in ("shop", "shop-canary"):
    e = edges[("gateway:virtualserver:cafe/cafe", "service:cafe/" + svc)]
    assert e["paths"] == ["/beans", "/shop"] and e["authn"] == "none", e
    assert x["service:cafe/" + svc] == "internet", x
assert any(p == "virtualservers.yaml" and "ingressMTLS policy 'client-cert', not counted" in m and "spec.policies only" in m
           for p, _, m in diags), diags
# a VirtualServerRoute in another namespace: a subroute without policies takes the route's (basic),
# one with its own takes those only (a deny rule, no authentication)
tea = edges[("gateway:virtualserver:cafe/cafe", "service:tea/tea")]
assert tea["authn"] == "basic" and tea["paths"] == ["/tea"], tea
menu = edges[("gateway:virtualserver:cafe/cafe", "service:tea/menu")]
assert menu["authn"] == "none" and menu["deny_rules"][0].startswith("nginx accessControl policy block-bots"), menu
assert x["service:tea/tea"] == "internet" and x["service:tea/menu"] == "internet", x
# an upstream Service of another namespace ("tea/juice-svc"); a hostless VirtualServerRoute its routeSelector picks
assert edges[("gateway:virtualserver:cafe/cafe", "service:tea/juice")]["paths"] == ["/juice"] and x["service:tea/juice"] == "internet", x
assert edges[("gateway:virtualserver:cafe/cafe", "service:cafe/specials")]["paths"] == ["/specials"] and x["service:cafe/specials"] == "internet", x
assert any(p == "virtualservers.yaml" and "passes to upstream 'legacy', which its spec.upstreams does not define" in m
           for p, _, m in diags), diags
# the intranet: office-only on the server (private ranges: no internet client), client certificates
# (TLS offered), plaintext served beside TLS; /status replaces the allow-list with a deny rule
intra = nodes["gateway:virtualserver:cafe/intranet"]
assert intra["tls"] is False and "plaintext beside it" in intra["tls_termination"][0], intra
wiki = edges[("gateway:virtualserver:cafe/intranet", "service:cafe/wiki")]
assert wiki["authn"] == "mtls" and wiki["private_sources_only"] is True, wiki
assert x["service:cafe/wiki"] != "internet", x
st = edges[("gateway:virtualserver:cafe/intranet", "service:cafe/status")]
assert st["authn"] == "mtls" and "allow_lists" not in st and "deny_rules" in st, st
assert x["service:cafe/status"] == "internet", x
assert any("VirtualServer 'broken': spec.routes is not a list" in m for m in msgs), msgs
assert any("VirtualServerRoute 'orphan' is named by no VirtualServer" in m for m in msgs), msgs
assert x["service:cafe/orphan"] != "internet", x
assert not any(nm["kind"] in ("VirtualServer", "VirtualServerRoute", "Policy")
               for k in d["inputs"] for nm in k.get("not_modelled", [])), "still counted as not modelled"
PY
exit 0
