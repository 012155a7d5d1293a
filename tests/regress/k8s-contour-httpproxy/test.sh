# Contour's HTTPProxy (projectcontour.io/v1) was not read at all: it was listed as a document not
# modelled, so a Service published only through Contour looked internal (a false negative on
# internet exposure). Now a root HTTPProxy (spec.virtualhost.fqdn) is a gateway reached from the
# internet at its host, routing to the workloads of its Services and of the Services of the
# proxies it includes (across namespaces, prefixes joined), with TLS from virtualhost.tls, and
# Contour's checks on each route: external authorization (off where authPolicy.disabled), JWT,
# ipAllowPolicy of private ranges (no internet client), rate limits. Cycles, a proxy included twice
# and long include chains end; an orphan proxy is a note, not a route; broken shapes are
# positioned diagnostics.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
x = d["exposure"]
diags = [(m["path"], m["line"], m["severity"], m["message"]) for m in d["diagnostics"]]
def diag(text, sev=None):
    hits = [m for m in diags if text in m[3] and (sev is None or m[2] == sev)]
    assert hits, (text, diags)
    return hits[0]
assert not [i for i in d["inputs"] if i.get("not_modelled")], [i for i in d["inputs"] if i.get("not_modelled")]

# a root with TLS and two routes
shop = nodes["gateway:httpproxy:shop/shop"]
assert shop["gateway_type"] == "contour-httpproxy" and shop["hosts"] == ["shop.example.com"], shop
assert shop["tls"] is True, shop
assert edges[("entrypoint:internet", "gateway:httpproxy:shop/shop")]["via"] == "Contour HTTPProxy"
web, api = edges[("gateway:httpproxy:shop/shop", "service:shop/web")], edges[("gateway:httpproxy:shop/shop", "service:shop/api")]
assert web["paths"] == ["/"] and web["hosts"] == ["shop.example.com"], web
assert api["paths"] == ["/api"], api
assert api["rate_limits"] == ["rate limit 100 per minute (spec.virtualhost.rateLimitPolicy) at shop.yaml:40"], api
assert x["service:shop/web"] == "internet" and x["service:shop/api"] == "internet", x
legacy = nodes["gateway:httpproxy:shop/shop-legacy"]
assert legacy["tls"] is False and "plaintext on / (permitInsecure)" in legacy["tls_termination"][0], legacy

# a root including another team's proxy under /blog: its Services in its own namespace
assert edges[("gateway:httpproxy:portal/portal", "service:marketing/blog")]["paths"] == ["/blog"]
assert edges[("gateway:httpproxy:portal/portal", "service:marketing/feed")]["paths"] == ["/blog/feed"]
assert x["service:marketing/blog"] == "internet" and x["service:marketing/feed"] == "internet", x
assert "gateway:httpproxy:marketing/blog" not in nodes, "an included proxy is no gateway of its own"
diag("includes HTTPProxy 'portal/docs', which is not in the scanned files", "note")
assert diag("includes 'marketing/blog' under an exact or regex condition")[:3] == ("portal.yaml", 16, "warning")
# included by two roots: served at both hosts; what is wrong in it is said once
assert edges[("gateway:httpproxy:portal/portal-eu", "service:marketing/blog")]["hosts"] == ["eu.portal.example.com"]
assert len([m for m in diags if "'blog': a service of routes[].services without name" in m[3]]) == 1, diags

# an orphan: served by nothing
assert x["service:marketing/stats"] != "internet", x["service:marketing/stats"]
assert "gateway:httpproxy:marketing/stats" not in nodes
assert diag("HTTPProxy 'stats' has no virtualhost and no root")[:3] == ("portal.yaml", 89, "note")

# a cycle, a proxy included twice, a root included by a root: all end, each said once
assert edges[("gateway:httpproxy:loop/loop", "service:loop/svc-a")]["paths"] == ["/a/status"]
assert edges[("gateway:httpproxy:loop/loop", "service:loop/svc-b")]["paths"] == ["/a/b/items/"]
assert diag("which includes it back")[:3] == ("loop.yaml", 33, "warning")
diag("HTTPProxy 'loop/b' is included again under loop.example.com: its routes are read once, under /a/b", "note")
diag("includes 'shop/shop', a root HTTPProxy", "warning")
assert len([m for m in diags if "includes it back" in m[3]]) == 1, diags

# private source ranges only: no internet client
adm = edges[("gateway:httpproxy:ops/admin", "service:ops/admin")]
assert adm.get("private_sources_only") is True, adm
assert adm["allow_lists"] == ["source ranges 10.0.0.0/8 192.168.0.0/16 (spec.virtualhost.ipAllowPolicy, "
                              "sources Peer and Remote) at secure.yaml:11"], adm
assert x["service:ops/admin"] != "internet", x["service:ops/admin"]

# external authorization, switched off on /public; JWT on /api; one workload behind a checked
# route and an unchecked one carries the weaker
pub = edges[("gateway:httpproxy:secure/app", "service:secure/public")]
assert pub["authn"] != "unknown" or pub["enforced_at"] != "gateway", pub
assert "authn_checks" not in pub, pub
jwt = edges[("gateway:httpproxy:secure/app", "service:secure/api")]
assert jwt["authn"] == "jwt" and jwt["enforced_at"] == "gateway", jwt
assert jwt["authn_checks"] == ["JWT verification, provider idp (jwtVerificationPolicy.require) at secure.yaml:52"], jwt
app = edges[("gateway:httpproxy:secure/app", "service:secure/app")]
assert app["authn"] == "none" and sorted(app["paths"]) == ["/", "/healthz"], app
assert app["authn_checks"] == ["external authorization by ExtensionService auth/authserver "
                               "(spec.virtualhost.authorization) at secure.yaml:39"], app

# TCP passthrough
db = nodes["gateway:httpproxy:data/db"]
assert db["tls"] is True and db["tls_termination"] == ["passthrough"], db
assert db["tcp_proxy"] == ["connections to db.example.com forwarded as TCP (HTTPProxy data/db)"], db
assert x["service:data/pg"] == "internet", x

# shapes Contour refuses: positioned diagnostics
assert diag("HTTPProxy 'broken': spec.routes is not a list")[:3] == ("data.yaml", 34, "warning")
assert diag("HTTPProxy 'nameless': a service of routes[].services without name")[:2] == ("data.yaml", 42)
assert diag("HTTPProxy 'nameless' has an include without name")[:2] == ("data.yaml", 43)
assert diag("HTTPProxy 'nohost' has a virtualhost without fqdn")[:2] == ("data.yaml", 49)
assert "gateway:httpproxy:data/nohost" not in nodes
assert diag("HTTPProxy 'db-copy' serves db.example.com, as HTTPProxy 'data/db' does: Contour serves neither")[:2] == ("data.yaml", 58)
assert diag("HTTPProxy 'plain-auth' sets virtualhost.authorization on a host where Envoy does not terminate TLS")[2] == "warning"
plain = edges[("gateway:httpproxy:data/plain-auth", "service:data/pg")]
assert plain["enforced_at"] != "gateway" and "authn_checks" not in plain, plain
PY

# one root, a ladder of 30 levels where each proxy includes both of the next level's (2^30 paths
# through it), and a chain 40 includes deep: each root's walk enters a proxy once and stops at 32
python3 - "$WORK/gen" <<'PY'
import os, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
docs = ["""apiVersion: apps/v1
kind: Deployment
metadata: {name: end, namespace: deep}
spec:
  selector: {matchLabels: {app: end}}
  template:
    metadata: {labels: {app: end}}
    spec: {containers: [{name: end, image: "ex/end:1"}]}
""", "apiVersion: v1\nkind: Service\nmetadata: {name: end, namespace: deep}\nspec: {selector: {app: end}, ports: [{port: 80}]}\n"]
def proxy(name, includes, routes="", vhost=""):
    inc = "".join("    - {name: %s, conditions: [{prefix: /%s}]}\n" % (i, i) for i in includes)
    return ("apiVersion: projectcontour.io/v1\nkind: HTTPProxy\nmetadata: {name: %s, namespace: deep}\nspec:\n%s"
            "  includes:\n%s%s" % (name, vhost, inc or "    []\n", routes))
L = 30
docs.append(proxy("ladder", ["l0a", "l0b"], vhost="  virtualhost: {fqdn: ladder.example.com}\n"))
for i in range(L):
    nxt = ["l%da" % (i + 1), "l%db" % (i + 1)] if i + 1 < L else []
    r = "  routes: [{services: [{name: end, port: 80}]}]\n" if i + 1 == L else ""
    docs += [proxy("l%da" % i, nxt, r), proxy("l%db" % i, nxt, r)]
D = 40
docs.append(proxy("chain", ["c0"], vhost="  virtualhost: {fqdn: chain.example.com}\n"))
for i in range(D):
    docs.append(proxy("c%d" % i, ["c%d" % (i + 1)] if i + 1 < D else [],
                      "  routes: [{services: [{name: end, port: 80}]}]\n" if i + 1 == D else ""))
open(os.path.join(out, "deep.yaml"), "w").write("---\n".join(docs))
PY
run_bounded 60 "$TRUSTMAP" scan "$WORK/gen" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
assert ("gateway:httpproxy:deep/ladder", "service:deep/end") in edges, [k for k in edges if k[0].startswith("gateway:")]
assert ("gateway:httpproxy:deep/chain", "service:deep/end") not in edges, "the chain is cut at 32 includes"
deep = [m for m in d["diagnostics"] if "deeper than 32" in m["message"]]
assert len(deep) == 1 and deep[0]["severity"] == "warning", deep
again = [m for m in d["diagnostics"] if "is included again" in m["message"]]
assert len(again) == 2 * 29, len(again)
PY
run_bounded 60 "$TRUSTMAP" query can internet ops/admin "$CASE/in"
head -c 14 "$WORK/out" | grep -q "DENY (blocked)" || fail "internet -> ops/admin: $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can internet marketing/feed "$CASE/in"
head -c 5 "$WORK/out" | grep -q ALLOW || fail "internet -> marketing/feed: $(head -3 "$WORK/out")"
exit 0
