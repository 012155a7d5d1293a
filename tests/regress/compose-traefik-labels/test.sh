# Traefik's Docker provider was not read (awesome-compose traefik-golang): a service routed by
# traefik.* labels sat inside the project, with no route from the Traefik service that publishes
# port 80. Now each router's rule (hosts, PathPrefix/Path) is a route of a gateway the Traefik
# service runs, with the checks of its middlewares (basicAuth, rateLimit; one of another provider
# is not known, and said), honouring traefik.enable and exposedByDefault.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "traefik labels (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
edges = {(e["from"], e["to"]): e for e in j["model"]["edges"]}
bad = []
def to(svc):
    for (f, t), e in edges.items():
        if f.startswith("gateway:traefik:") and f.endswith("#proxy") and t.endswith("/" + svc):
            return e
app, admin = to("app"), to("admin")
if not app or app.get("paths") != ["/api"] or app.get("hosts") != ["shop.example.com"] or app.get("authn") != "basic" \
        or not app.get("rate_limits"):
    bad.append("app's router: %s" % app)
if not admin or admin.get("authn") != "unknown":
    bad.append("admin behind a middleware of another provider is not 'unknown': %s" % admin)
pg = to("pg")
if not pg or pg.get("protocols") != ["tcp"] or pg.get("paths") or pg.get("hosts") != ["db.example.com"]:
    bad.append("a TCP router is not a connection-level route: %s" % pg)
if to("hidden") or to("db"):
    bad.append("a service without traefik.enable=true is routed under exposedByDefault=false")
if not any("middleware sso is not defined" in d["message"] for d in j["diagnostics"]):
    bad.append("the unknown middleware is not said")
def to_edge(svc):
    for (f, t), e in edges.items():
        if f.startswith("gateway:traefik:") and f.endswith("#edge") and t.endswith("/" + svc):
            return e
if not to_edge("notes") or to_edge("notes").get("hosts") != ["notes"]:
    bad.append("by default a service is routed by Host(`<name>`): %s" % to_edge("notes"))
if to_edge("off"):
    bad.append("traefik.enable=false is routed")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
