# Routes of the Gateway API served by Kong or Traefik carried no check (authn unknown), though the
# KongPlugins and Traefik Middlewares they name (an ExtensionRef filter, Kong's konghq.com/plugins
# annotation) authenticate, rate-limit or keep outside addresses out: the Kubernetes reader had
# them, the Gateway API reader never asked. Now each rule's filters put their checks on its edges, a
# route of a Kong or Traefik gateway that names none has none, Kong's global plugins apply to all
# its routes, and a filter no file defines, or of an implementation not read, leaves the
# authentication unknown with a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
x = d["exposure"]
msgs = [m["message"] for m in d["diagnostics"]]
def edge(gw, svc):
    return edges[("gateway:gwapi:" + gw, "service:" + svc)]
e = edge("shop/kong", "shop/keyed")  # an ExtensionRef on its rule
assert e["authn"] == "api-key" and e["enforced_at"] == "gateway", e
assert e["authn_checks"] == ["kong plugin key-auth at plugins.yaml:1"], e
e = edge("shop/kong", "shop/open")  # the route's other rule: its own filter, a rate limit only
assert e["authn"] == "none" and e["rate_limits"][0].startswith("kong plugin rate-limiting at plugins.yaml:"), e
e = edge("shop/kong", "shop/jwt")  # the annotation: the disabled plugin passed over, a KongClusterPlugin
assert e["authn"] == "jwt" and e["authn_checks"] == ["kong plugin jwt at plugins.yaml:18"], e
assert edge("shop/kong", "shop/rated")["authn"] == "none"
e = edge("shop/kong", "shop/missing")
assert e["authn"] == "unknown" and "oidc-from-elsewhere (not scanned) (ExtensionRef)" in e["authn_checks"][0], e
assert any("HTTPRoute 'missing' names Kong plugin 'oidc-from-elsewhere'" in m for m in msgs), msgs
e = edge("web/traefik", "web/basic")  # a chain to basic auth
assert e["authn"] == "basic" and "basicAuth middleware basic" in e["authn_checks"][0], e
e = edge("web/traefik", "web/lan")
assert e["authn"] == "none" and e["private_sources_only"] is True, e
assert x["service:web/lan"] != "internet" and x["service:web/basic"] == "internet", x
e = edge("web/traefik", "web/nowhere")
assert e["authn"] == "unknown", e
assert any("HTTPRoute 'nowhere' routes through Traefik Middleware 'sso', which is not in the scanned files" in m for m in msgs), msgs
assert edge("web/unknown", "web/other")["authn"] == "unknown"  # nothing says whose gateway it is
e = edge("web/unknown", "web/ext")  # a Traefik middleware says so; a third filter is not read
assert e["authn"] == "unknown" and e["private_sources_only"] is True, e
assert any("HTTPRoute 'ext' names filter AuthFilter 'sso' (example.com), which this version does not read" in m for m in msgs), msgs
ing = [e for (f, t), e in edges.items() if t == "service:shop/mixed" and f.startswith("gateway:")]
assert ing and ing[0]["authn"] == "unknown", ing  # an Ingress of Kong's class naming no plugin, as before
for gw in ("gateway:gwapi:shop/kong", "gateway:shop/svcauth"):  # the Service's plugins, by route and Ingress
    e = edges[(gw, "service:shop/svcauth")]
    assert e["authn"] == "api-key" and e["authn_checks"] == ["kong plugin key-auth at plugins.yaml:1"], e
assert edges[("gateway:gwapi:web/traefik", "service:shop/svcauth")]["authn"] == "none"
assert not any(i.get("not_modelled") for i in d["inputs"]), d["inputs"]
PY
# a global KongClusterPlugin runs on every route Kong serves: the routes with no credentials now need
# a key; a route's own authentication plugin still stands
cp -r "$CASE/in" "$WORK/in"
cat >"$WORK/in/global.yaml" <<'YAML'
apiVersion: configuration.konghq.com/v1
kind: KongClusterPlugin
metadata: {name: keys-everywhere, labels: {global: "true"}}
plugin: key-auth
YAML
run_bounded 60 "$TRUSTMAP" scan "$WORK/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
e = edges[("gateway:gwapi:shop/kong", "service:shop/rated")]
assert e["authn"] == "api-key" and e["authn_checks"][0].startswith("kong global plugin key-auth at global.yaml:"), e
assert edges[("gateway:gwapi:shop/kong", "service:shop/jwt")]["authn"] == "jwt"
assert edges[("gateway:gwapi:web/traefik", "service:web/lan")]["authn"] == "none"  # Kong's only
ing = [e for (f, t), e in edges.items() if t == "service:shop/mixed" and f.startswith("gateway:")]
assert ing and ing[0]["authn"] == "api-key" and "kong global plugin key-auth" in ing[0]["authn_checks"][0], ing  # an Ingress of Kong's class
PY
