# Traefik's CRD provider was not read: a service published only by an IngressRoute looked internal
# (no route from the internet), and an Ingress naming Traefik Middlewares in its
# router.middlewares annotation had an unknown check though the Middleware objects were scanned.
# Now IngressRoute, IngressRouteTCP and IngressRouteUDP publish their services from the internet,
# through their Middlewares (chains followed once: a chain naming itself ends) and TraefikServices
# (weighted, mirroring), with TLS from spec.tls; the annotation's "<ns>-<name>@kubernetescrd" names
# are resolved; a middleware of another provider, a cross-namespace reference, a service without a
# name or of another kind, and routes that are no list are said, not guessed.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
x = d["exposure"]
msgs = [m["message"] for m in d["diagnostics"]]
site = nodes["gateway:ingressroute:web/site"]
assert site["gateway_type"] == "traefik-ingressroute" and site["tls"] is True, site
assert site["entry_points"] == ["websecure"] and site["hosts"] == ["www.example.com"], site
assert edges[("entrypoint:internet", "gateway:ingressroute:web/site")]["via"] == "IngressRoute"
app = edges[("gateway:ingressroute:web/site", "service:web/whoami")]
assert app["paths"] == ["/app"] and "authn_checks" not in app, app
adm = edges[("gateway:ingressroute:web/site", "service:web/admin")]
assert adm["authn"] == "basic" and adm["authn_checks"][0].startswith("traefik basicAuth middleware admin-auth at traefik.yaml:"), adm
assert adm["private_sources_only"] is True and "10.0.0.0/8 192.168.0.0/16" in adm["allow_lists"][0], adm
assert x["service:web/whoami"] == "internet", x
assert x["service:web/admin"] != "internet", x  # the office-only allow-list admits private ranges only
# a TraefikService (weighted, naming itself too) to a Service of another namespace
pay = edges[("gateway:ingressroute:web/pay", "service:pay/ledger")]
assert pay["authn"] == "unknown" and "sso@file" in pay["authn_checks"][0], pay
assert nodes["gateway:ingressroute:web/pay"]["tls"] is False
assert any("allowCrossNamespace" in m and "'ledger'" in m for m in msgs), msgs
assert any("'sso@file', which is of the file provider" in m for m in msgs), msgs
assert x["service:pay/ledger"] == "internet", x
tcp = nodes["gateway:ingressroutetcp:pay/db"]
assert tcp["protocol"] == "tcp" and "hosts" not in tcp, tcp
# an Ingress naming Middlewares by "<ns>-<name>@kubernetescrd": a chain (loop -> loop, limit) and basicAuth
leg = edges[("gateway:web/legacy", "service:web/whoami")]
assert leg["authn"] == "basic" and leg["rate_limits"][0].startswith("traefik rateLimit middleware limit at"), leg
assert not [m for m in msgs if "not read: what they check" in m], msgs
assert any("'broken': spec.routes is not a list" in m for m in msgs), msgs
assert any("'nameless' has a service without a name" in m for m in msgs), msgs
assert any("routes to a Gateway, which Traefik does not take" in m for m in msgs), msgs
# Traefik's API and dashboard (api@internal) routed from the internet: TM-MESH-008 without a middleware
dash = nodes["gateway:ingressroute:traefik/dashboard"]
assert dash["internal_services"] == ["api@internal at traefik.example.com/dashboard, traefik.example.com/api"], dash
adm8 = [f for f in d["findings"] if f["rule"] == "TM-MESH-008"]
assert len(adm8) == 1 and "gateway:ingressroute:traefik/dashboard" in adm8[0]["title"], adm8
assert "admin_routes" not in nodes["gateway:ingressroute:web/dashboard-auth"], nodes["gateway:ingressroute:web/dashboard-auth"]
assert not any("api@internal" in m for m in msgs), msgs  # Traefik's own service: no "not in the scanned files"
assert not any(k for k in d["inputs"] if any(nm["kind"] in ("IngressRoute", "Middleware", "TraefikService")
                                             for nm in k.get("not_modelled", []))), "still counted as not modelled"
PY
exit 0
