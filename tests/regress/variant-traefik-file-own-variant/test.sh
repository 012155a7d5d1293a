# A Traefik file provider's route resolved across compose variants of one directory:
# docker-compose-proxy.yml runs Traefik with ./traefik mounted, whose dynamic file routes `sso` to
# http://keycloak:8080, a service only docker-compose-sso.yml defines. The route reached the [sso]
# variant's keycloak, and `query can internet` answered ALLOW through the gateway, though variants
# are run one at a time and never side by side. Now a name a gateway's file routes to resolves
# where the container running it resolves names: its own project, and another project's service
# only on a network both join (shared-net: storefront joins the external `edge` network Caddy is
# on, backoffice does not) and never a sibling variant of its directory; the route not drawn is said
# in a note and listed as an unresolved upstream.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/variants" --format json --no-store --no-cache
expect_exit 0 1 3
cp "$WORK/out" "$WORK/variants.json"
run_bounded 60 "$TRUSTMAP" scan "$CASE/shared-net" --format json --no-store --no-cache
expect_exit 0 1 3
cp "$WORK/out" "$WORK/shared.json"
python3 - "$WORK/variants.json" "$WORK/shared.json" <<'PY' || fail "a gateway's route crossed compose variants (see above)"
import json, sys

def routes(d):
    return sorted((e["from"], e["to"]) for e in d["model"]["edges"]
                  if e["kind"] == "routes" and ("gateway:" in e["from"] or "gateway:" in e["to"]))

v, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
bad = []
dyn = "gateway:traefik:traefik/dynamic/routes.yml"
want = [(dyn, "service:compose:default[proxy]/api"),
        ("service:compose:default[proxy]/traefik", dyn),
        ("service:compose:default[proxy]/traefik", "gateway:traefik:traefik/traefik.yml")]
if routes(v) != want:
    bad.append("variants: gateway routes %s" % routes(v))
node = {n["id"]: n for n in v["model"]["nodes"]}.get(dyn, {})
if "http://keycloak:8080" not in node.get("unresolved_upstreams", []):
    bad.append("variants: keycloak not listed unresolved: %s" % node)
if not any("service:compose:default[sso]/keycloak" in g["message"] and "variants never run side by side" in g["message"]
           for g in v["diagnostics"] if g["path"] == "traefik/dynamic/routes.yml"):
    bad.append("variants: no note on the keycloak route: %s" % v["diagnostics"])
edge = "gateway:caddy:edge/Caddyfile"
want = [(edge, "service:compose:shop/storefront"), ("service:compose:edge/caddy", edge)]
if routes(s) != want:
    bad.append("shared-net: gateway routes %s" % routes(s))
if not any("service:compose:shop/backoffice" in g["message"] and "shares no network" in g["message"]
           for g in s["diagnostics"] if g["path"] == "edge/Caddyfile"):
    bad.append("shared-net: no note on the backoffice route: %s" % s["diagnostics"])
if bad:
    sys.exit("\n".join(bad))
PY
run_bounded 60 "$TRUSTMAP" query can internet 'default[sso]/keycloak' --method GET --path /admin "$CASE/variants" --no-store --no-cache
grep -q '^DENY' "$WORK/out" || { cat "$WORK/out" >&2; fail "the [sso] variant's keycloak is reached from the internet through the [proxy] variant's Traefik"; }
exit 0
