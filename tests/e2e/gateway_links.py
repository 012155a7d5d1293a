#!/usr/bin/env python3
"""Gateways as a user's project holds them (tests/e2e/gateways/), scanned with the CLI: who runs each
configuration, the routes edges to its backends, a spec written against the gateway linked operation
by operation to the workload each path reaches, and the gateway's checks on those endpoints.

  compose-nginx   an nginx front (published port) bind-mounting ./proxy/nginx.conf: /identity/ to
                  http://${IDENTITY_SERVICE} (the proxy's environment names identity:8080) behind
                  limit_req, /shop/ to an upstream block (shop:8000) behind auth_request; a spec on
                  http://localhost:8888 with one path no location matches. Copies without limit_req and
                  without auth_request make TM-API-013 and TM-API-001 fire.
  k8s-nginx       the nginx.conf of a ConfigMap (a block scalar) mounted by Deployment shop/gateway,
                  routing /api/orders/ to Service orders: evidence lines inside the ConfigMap file.
  compose-envoy   Envoy v3 static config: jwt_authn on every route but /auth/ (disabled per route).
  compose-kong    Kong declarative 3.0: key-auth on the route, a global rate-limiting.
  compose-ocelot  ocelot.json: /c/api/{everything} to catalog-api with AuthenticationOptions.

Checks marked "regression" pin bugs found when the readers were written (each names the function).
Usage: gateway_links.py TRUSTMAP SOURCE_DIR"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

os.environ.setdefault("TRUSTMAP_STORE", "none")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def scan(t, path):
    p = subprocess.run([t, "scan", path, "--no-store", "--format", "json"], capture_output=True, text=True)
    check(p.returncode in (0, 1), "scan %s exited %d: %s" % (path, p.returncode, p.stderr[-400:]))
    check("Sanitizer" not in p.stderr and "runtime error" not in p.stderr, "scan %s: %s" % (path, p.stderr[-800:]))
    return json.loads(p.stdout) if p.stdout.strip() else {"model": {"nodes": [], "edges": []}, "findings": [],
                                                          "diagnostics": [], "exposure": {}}


def node(d, nid):
    for n in d["model"]["nodes"]:
        if n["id"] == nid:
            return n
    return {}


def edge(d, frm, to, kind="routes"):
    for e in d["model"]["edges"]:
        if e["from"] == frm and e["to"] == to and e["kind"] == kind:
            return e
    return {}


def endpoints(d, service):
    return [n for n in d["model"]["nodes"] if n["kind"] == "endpoint" and n.get("service") == service]


def rules_on(d, subject):
    return {f["rule"] for f in d["findings"] if f.get("subject") == subject}


def errors(d):
    return [x for x in d["diagnostics"] if x["severity"] == "error"]


def line_of(path, pattern):
    """The 1-based line and column of the first match of pattern in the file."""
    with open(path) as f:
        for i, line in enumerate(f, 1):
            m = re.search(pattern, line)
            if m:
                return i, m.start() + 1
    raise SystemExit("fixture %s has no %r" % (path, pattern))


def copy_edit(src, tmp, name, rel, old, new):
    """A copy of fixture src under tmp/name with old replaced by new in rel (which must hold old)."""
    dst = os.path.join(tmp, name)
    shutil.copytree(src, dst)
    p = os.path.join(dst, rel)
    with open(p) as f:
        text = f.read()
    if old not in text:
        raise SystemExit("fixture %s has no %r" % (p, old))
    with open(p, "w") as f:
        f.write(text.replace(old, new))
    return dst


GW_A = "gateway:nginx:proxy/nginx.conf"
PROXY = "service:compose:default/proxy"
IDENTITY = "service:compose:default/identity"
SHOP = "service:compose:default/shop"
LOGIN = "endpoint:compose:default/identity/POST /identity/api/auth/login"
DELETE = "endpoint:compose:default/shop/DELETE /shop/api/orders/{orderId}"


def compose_nginx(t, fx, tmp):
    src = os.path.join(fx, "compose-nginx")
    d = scan(t, src)
    gw = node(d, GW_A)
    check(gw.get("kind") == "gateway", "a: the gateway node %s: %s" % (GW_A, gw))
    check(gw.get("hosted_by") == [PROXY], "a: the proxy service runs the configuration: %s" % gw.get("hosted_by"))
    check(gw.get("hosted_how") == "a compose service bind-mounts it", "a: hosted_how: %s" % gw.get("hosted_how"))
    check(edge(d, PROXY, GW_A), "a: proxy -> gateway routes edge")
    to_id, to_shop = edge(d, GW_A, IDENTITY), edge(d, GW_A, SHOP)
    check("/identity/" in to_id.get("paths", []), "a: gateway routes /identity/ to identity (${IDENTITY_SERVICE}): %s" % to_id)
    check(any("limit_req" in r for r in to_id.get("rate_limits", [])), "a: the identity route carries limit_req: %s" % to_id)
    check(to_shop.get("paths") == ["/shop/"], "a: gateway routes /shop/ to shop (upstream block): %s" % to_shop)
    check(to_shop.get("enforced_at") == "gateway" and to_shop.get("authn") != "none",
          "a: the shop route is checked at the gateway (auth_request): %s" % to_shop)
    check(edge(d, PROXY, IDENTITY, "calls").get("proxied_by") == GW_A, "a: the env var's calls edge is the proxied traffic")

    login = node(d, LOGIN)
    check(login.get("service") == IDENTITY, "a: login lives on identity: %s" % login.get("service"))
    check(d["exposure"].get(LOGIN) == "internet", "a: login exposure internet: %s" % d["exposure"].get(LOGIN))
    check(login.get("rate_limited") is True, "a: login is rate limited by the gateway: %s" % login)
    check("limit_req" in login.get("rate_limit", ""), "a: login's rate limit names limit_req: %s" % login.get("rate_limit"))
    check(login.get("gateway") == GW_A, "a: login's gateway: %s" % login.get("gateway"))
    check("TM-API-013" not in rules_on(d, LOGIN), "a: no TM-API-013 for the rate-limited login")

    dele = node(d, DELETE)
    check(dele.get("service") == SHOP, "a: DELETE order lives on shop: %s" % dele.get("service"))
    check(dele.get("anonymous") is False, "a: DELETE order is not anonymous behind auth_request: %s" % dele)
    check("auth_request" in dele.get("authn_at", ""), "a: authn_at names auth_request: %s" % dele.get("authn_at"))
    check("TM-API-001" not in rules_on(d, DELETE), "a: no TM-API-001 for DELETE order")

    posts = [n for n in d["model"]["nodes"] if n["kind"] == "endpoint" and n.get("path") == "/community/api/posts"]
    check(len(posts) == 1, "a: one endpoint for the unmatched path: %s" % posts)
    if posts:
        own = node(d, posts[0].get("service", ""))
        check(own.get("unlinked") is True, "a: the unmatched path's service is unlinked: %s" % own)
        check(own.get("exposure_assumed") in ("partner", "internet") and own.get("assumed"),
              "a: the unlinked API says its assumed exposure: %s" % own)
        check(posts[0].get("linked_by", "").startswith("not linked: no gateway route matches"),
              "a: the unmatched path says why: %s" % posts[0].get("linked_by"))
    check(not errors(d), "a: no errors: %s" % errors(d))

    # the same system without limit_req: the sign-in is open to brute force
    no_limit = scan(t, copy_edit(src, tmp, "a-no-limit", "proxy/nginx.conf", "limit_req zone=login burst=10 nodelay;", ""))
    check(node(no_limit, LOGIN).get("rate_limited") is not True, "a without limit_req: login not rate limited")
    check("TM-API-013" in rules_on(no_limit, LOGIN), "a without limit_req: TM-API-013 fires for login")
    # ... and without auth_request: deleting an order is anonymous
    no_auth = scan(t, copy_edit(src, tmp, "a-no-auth", "proxy/nginx.conf", "auth_request /_auth;", ""))
    check(node(no_auth, DELETE).get("anonymous") is True, "a without auth_request: DELETE order anonymous")
    check("TM-API-001" in rules_on(no_auth, DELETE), "a without auth_request: TM-API-001 fires for DELETE order")


STRAY_MD = """# Deploying behind nginx

Put this in your site configuration:

```nginx
server {
    listen 443 ssl;
    location / {
        proxy_pass http://shop:8000;
    }
}
```
"""

STRAY_HAPROXY = """global
    daemon
defaults
    mode http
listen stats
    bind *:8404
    stats enable
listen http-in
    bind *:80
    server web1 shop:8000 check
"""


def stray_nginx_text(t, fx, tmp):
    """Text that only looks like nginx: documentation with a snippet, another proxy's configuration."""
    dst = os.path.join(tmp, "a-stray")
    shutil.copytree(os.path.join(fx, "compose-nginx"), dst)
    os.makedirs(os.path.join(dst, "docs"))
    os.makedirs(os.path.join(dst, "haproxy"))
    with open(os.path.join(dst, "docs", "DEPLOY.md"), "w") as f:
        f.write(STRAY_MD)
    with open(os.path.join(dst, "haproxy", "haproxy.cfg"), "w") as f:
        f.write(STRAY_HAPROXY)
    d = scan(t, dst)
    gws = sorted(n["id"] for n in d["model"]["nodes"] if n["kind"] == "gateway")
    # regression (src/ingest/scan.c sniff_head -> tm_ngx_sniff): any file without a known extension is
    # sniffed, so a Markdown page with an nginx snippet becomes an internet-facing gateway node and
    # an error ("directive is not terminated by ';'"), and so does a haproxy.cfg with two listen sections
    check(gws == [GW_A], "stray: only proxy/nginx.conf is a gateway, not docs or haproxy: %s" % gws)
    check(not errors(d), "stray: no nginx syntax errors on docs/DEPLOY.md or haproxy.cfg: %s" % errors(d))


def k8s_nginx(t, fx, tmp):
    src = os.path.join(fx, "k8s-nginx")
    cm = os.path.join(src, "gateway.yaml")
    d = scan(t, src)
    gid = "gateway:nginx:gateway.yaml#nginx.conf"
    gw = node(d, gid)
    check(gw.get("hosted_by") == ["service:shop/gateway"], "b: the Deployment mounting the ConfigMap runs it: %s" % gw)
    check(gw.get("namespace") == "shop", "b: the gateway's namespace: %s" % gw.get("namespace"))
    e = edge(d, gid, "service:shop/orders")
    check(e.get("paths") == ["/api/orders/"], "b: routes /api/orders/ to Service orders in its namespace: %s" % e)
    check(d["exposure"].get("service:shop/orders") == "internet",
          "b: orders is reached from the LoadBalancer through the gateway: %s" % d["exposure"].get("service:shop/orders"))
    block, _ = line_of(cm, r"nginx\.conf: \|")
    pline, pcol = line_of(cm, r"proxy_pass")
    ev = e.get("evidence", [{}])[0]
    check(ev.get("path") == "gateway.yaml", "b: the route's evidence is the ConfigMap file: %s" % ev)
    # regression (src/ingest/gateway.c tm_ingest__gw_embedded): the value's position is already the block
    # scalar's first line, and one more is added ("starts on the line after its indicator"), so
    # every line is one too far; columns are those of the de-indented text, not of the file
    check(ev.get("line") == pline, "b: the route's evidence line is the proxy_pass line %d: %s" % (pline, ev))
    check(ev.get("column") == pcol, "b: the route's evidence column is proxy_pass's column %d in the file: %s" % (pcol, ev))
    first = gw.get("evidence", [{}])[0]
    check(first.get("line") == block + 1, "b: the configuration starts on the line after 'nginx.conf: |' (%d): %s"
          % (block + 1, first))
    # a syntax error in the value points into the ConfigMap file
    bad = scan(t, copy_edit(src, tmp, "b-bad", "gateway.yaml", "proxy_pass http://orders:80;", "proxy_pass http://orders:80"))
    errs = errors(bad)
    check(len(errs) == 1 and errs[0]["path"] == "gateway.yaml" and "missing ';'" in errs[0]["message"],
          "b without ';': one nginx error in gateway.yaml: %s" % errs)
    check(errs and errs[0]["line"] == pline, "b without ';': the error is at the proxy_pass line %d (regression, as above): %s"
          % (pline, errs))


ENVOY = "gateway:envoy:envoy/envoy.yaml"
API = "service:compose:default/api"
AUTH = "service:compose:default/auth"


def compose_envoy(t, fx, tmp):
    src = os.path.join(fx, "compose-envoy")
    d = scan(t, src)
    gw = node(d, ENVOY)
    check(gw.get("hosted_by") == ["service:compose:default/front-envoy"], "c: front-envoy runs envoy.yaml: %s" % gw)
    to_api, to_auth = edge(d, ENVOY, API), edge(d, ENVOY, AUTH)
    check(to_api.get("authn") == "jwt" and to_api.get("enforced_at") == "gateway",
          "c: the api route is checked by jwt_authn at the gateway: %s" % to_api)
    check(to_api.get("paths") == ["/api/"], "c: the api route's path: %s" % to_api.get("paths"))
    check(to_auth.get("authn") == "none" and to_auth.get("enforced_at") != "gateway",
          "c: the /auth/ route turns jwt_authn off (typed_per_filter_config disabled): %s" % to_auth)
    token = node(d, "endpoint:compose:default/auth/POST /auth/token")
    check(token.get("service") == AUTH and token.get("anonymous") is True,
          "c: the exempt route's operation stays anonymous: %s" % token)
    dele = node(d, "endpoint:compose:default/api/DELETE /api/orders/{orderId}")
    check(dele.get("anonymous") is False and dele.get("authn") == "jwt" and "jwt_authn" in dele.get("authn_at", ""),
          "c: the api operation is authenticated by the gateway's jwt_authn: %s" % dele)
    check("TM-API-001" not in rules_on(d, dele.get("id")), "c: no TM-API-001 for the jwt-checked DELETE")

    # two routes to one cluster, the second exempt: the edge carries the weakest check, none, and
    # then it must not say a check is enforced at the gateway
    old = """                        - match: {prefix: "/auth/"}
                          route: {cluster: auth}
                          typed_per_filter_config:
                            envoy.filters.http.jwt_authn:
                              "@type": type.googleapis.com/envoy.config.route.v3.FilterConfig
                              disabled: true
                        - match: {prefix: "/api/"}
                          route: {cluster: api}
"""
    new = """                        - match: {prefix: "/api/"}
                          route: {cluster: api}
                        - match: {prefix: "/public/"}
                          route: {cluster: api}
                          typed_per_filter_config:
                            envoy.filters.http.jwt_authn: {disabled: true}
"""
    one = scan(t, copy_edit(src, tmp, "c-one-cluster", "envoy/envoy.yaml", old, new))
    e = edge(one, ENVOY, API)
    check(e.get("authn") == "none" and "/public/" in e.get("paths", []), "c one cluster: the weakest check, none: %s" % e)
    # regression (src/ingest/gateway.c route_edge): enforced_at and authz are set by the first route with a
    # check and kept when a later route lowers authn to none: the edge says none, enforced at gateway
    check(e.get("enforced_at") != "gateway", "c one cluster: authn none is not enforced at the gateway: %s" % e)


def compose_kong(t, fx, tmp):
    src = os.path.join(fx, "compose-kong")
    d = scan(t, src)
    gid = "gateway:kong:kong/kong.yml"
    orders = "service:compose:default/orders"
    gw = node(d, gid)
    check(gw.get("hosted_by") == ["service:compose:default/kong"], "d: kong (mounting ./kong) runs kong.yml: %s" % gw)
    e = edge(d, gid, orders)
    check(e.get("authn") == "api-key" and e.get("paths") == ["/orders"] and e.get("rate_limits"),
          "d: routes /orders to orders, key-auth and rate-limiting on it: %s" % e)
    eps = endpoints(d, orders)
    check(sorted(n["path"] for n in eps) == ["/orders", "/orders/{orderId}"], "d: the spec's operations on orders: %s"
          % [n.get("path") for n in eps])
    for n in eps:
        check(n.get("authn") == "api-key" and n.get("anonymous") is False, "d: %s authn api-key: %s" % (n["id"], n))
        check(n.get("rate_limited") is True and "rate-limiting" in n.get("rate_limit", ""),
              "d: %s rate limited by the global plugin: %s" % (n["id"], n))
    # a plugin switched off checks nothing
    off = scan(t, copy_edit(src, tmp, "d-off", "kong/kong.yml", "- name: key-auth\n", "- name: key-auth\n            enabled: false\n"))
    for n in endpoints(off, orders):
        check(n.get("anonymous") is True, "d with key-auth disabled: %s anonymous: %s" % (n["id"], n))
    # a spec linked to its workload directly (not through the gateway's routes) still sits behind
    # the gateway: tm_gw_route_to finds the route to that workload
    named = scan(t, copy_edit(src, tmp, "d-named", "orders-api.yaml", "info: {title: Orders, version: '3.0'}",
                              "info: {title: Orders, version: '3.0', x-trustmap-service: orders}"))
    eps = endpoints(named, orders)
    check(len(eps) == 2 and all("x-trustmap-service" in n.get("linked_by", "") for n in eps),
          "d linked by x-trustmap-service: %s" % [n.get("linked_by") for n in eps])
    # regression (src/ingest/gateway.c gw_finish: by_backend is keyed by &bk, a local whose address the map
    # keeps, since tm_hmap keys are borrowed): tm_gw_route_to never finds the route, so the
    # endpoints lose key-auth and the rate limit, and TM-API-001 fires on DELETE
    for n in eps:
        check(n.get("authn") == "api-key" and n.get("rate_limited") is True,
              "d linked by x-trustmap-service: %s keeps the gateway's key-auth and rate limit: %s" % (n["id"], n))
    check(not any("TM-API-001" in rules_on(named, n["id"]) for n in eps), "d linked by x-trustmap-service: no TM-API-001")


def compose_ocelot(t, fx):
    d = scan(t, os.path.join(fx, "compose-ocelot"))
    gid = "gateway:ocelot:ApiGateways/Web.Bff.Shopping/apigw/ocelot.json"
    catalog = "service:compose:default/catalog-api"
    gw = node(d, gid)
    check(gw.get("hosted_by") == ["service:compose:default/webshoppingapigw"],
          "e: the service mounting the directory runs ocelot.json: %s" % gw)
    e = edge(d, gid, catalog)
    check(e.get("paths") == ["/c/api/"] and e.get("authn") == "jwt" and e.get("enforced_at") == "gateway",
          "e: /c/api/{everything} routes to catalog-api behind AuthenticationOptions: %s" % e)
    eps = endpoints(d, catalog)
    check(len(eps) == 1 and eps[0].get("anonymous") is False and "AuthenticationOptions" in eps[0].get("authn_at", ""),
          "e: the catalog operation is authenticated at the gateway: %s" % eps)
    check(d["exposure"].get(catalog) == "internet", "e: catalog-api is reached through the gateway: %s" % d["exposure"])


def main():
    t, src = sys.argv[1:3]
    fx = os.path.join(src, "tests", "e2e", "gateways")
    tmp = tempfile.mkdtemp(prefix="tm-gateways-")
    try:
        compose_nginx(t, fx, tmp)
        stray_nginx_text(t, fx, tmp)
        k8s_nginx(t, fx, tmp)
        compose_envoy(t, fx, tmp)
        compose_kong(t, fx, tmp)
        compose_ocelot(t, fx)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
