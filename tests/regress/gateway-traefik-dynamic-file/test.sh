# Traefik's file provider was not read: a dynamic configuration (http/tcp routers, services,
# middlewares) mounted into a Traefik service routed nothing, so the API behind it sat inside the
# project. Now each router is a route of gateway:traefik:<file>: hosts and paths from its rule, the
# servers of its service (a weighted service's children), the checks of its middlewares looked up
# in the other files of the provider's directory (a chain followed; one of another provider is not
# known, and said), TCP routers as connection-level routes, TLS from the router or from the entry
# points of the static configuration beside it. A router without a rule is a positioned warning.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "traefik dynamic configuration (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
gw = "gateway:traefik:traefik/dynamic/routers.yml"
edges = {e["to"].rsplit("/", 1)[-1]: e for e in j["model"]["edges"] if e["from"] == gw and e["kind"] == "routes"}
nodes = {n["id"]: n for n in j["model"]["nodes"]}
bad = []
g = nodes.get(gw, {})
if g.get("hosted_by") != ["service:compose:default/traefik"] or g.get("tls") is not True:
    bad.append("the dynamic file's gateway is not run by the Traefik service, with TLS: %s" % g)
if "gateway:traefik:traefik/dynamic/middlewares.yml" in nodes:
    bad.append("a file of middlewares alone is a gateway")
api = edges.get("api", {})
if api.get("paths") != ["/v1"] or api.get("hosts") != ["api.example.com"] or api.get("authn") != "none" \
        or not api.get("rate_limits") or api.get("plaintext_listeners"):
    bad.append("router api (PathPrefix, rateLimit defined in another file, TLS): %s" % api)
admin = edges.get("admin", {})
if admin.get("authn") != "basic" or admin.get("authn_checks") != \
        ["traefik basicAuth middleware auth at traefik/dynamic/middlewares.yml:4"] or not admin.get("allow_lists"):
    bad.append("router admin behind chain secured@file (basicAuth, ipAllowList): %s" % admin)
reports = edges.get("reports", {})
if reports.get("authn") != "unknown":
    bad.append("a middleware of the docker provider is not 'unknown': %s" % reports)
for v in ("shop-v1", "shop-v2"):
    e = edges.get(v, {})
    if e.get("paths") != ["/cart", "/catalog"] or e.get("plaintext_listeners") != ["entrypoint websecure :443"]:
        bad.append("weighted child %s (Path, PathPrefix; no tls on a plaintext entry point): %s" % (v, e))
pg = edges.get("postgres", {})
if pg.get("protocols") != ["tcp"] or pg.get("paths") or pg.get("hosts") != ["db.example.com"]:
    bad.append("tcp router db is not a connection-level route: %s" % pg)
unauth = sorted(f["title"] for f in j["findings"] if f["rule"] == "TM-API-001")
if unauth != ["POST /v1/items needs no credentials and is reachable from the internet"]:
    bad.append("TM-API-001: POST /v1/items only (DELETE /users is behind basicAuth): %s" % unauth)
diags = {(d["path"], d["line"], d["column"], d["message"]) for d in j["diagnostics"]}
if ("traefik/dynamic/routers.yml", 24, 7, "http router norule has no rule: Traefik does not load it") not in diags:
    bad.append("the router without a rule is not said at its line: %s" % sorted(diags))
if not any("sso@docker of router reports is of the docker provider" in d[3] for d in diags):
    bad.append("the middleware of another provider is not said")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
