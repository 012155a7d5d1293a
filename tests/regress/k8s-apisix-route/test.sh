# The APISIX Ingress Controller's ApisixRoute was not read: it was listed under not_modelled and the
# Services it publishes looked internal. Now an ApisixRoute is a gateway reached from the internet,
# each http rule routing its hosts and paths to its backends' Services with the checks of its
# plugins (its ApisixPluginConfig's under its own, then its authentication's), stream rules as
# connection routes. An ip-restriction whitelist or match.remoteAddrs of private ranges only keeps
# the internet out; a plugin without enable: true is left out, as the controller leaves it; an
# authentication type the controller does not know is its basic-auth; openid-connect with
# unauth_action: pass authenticates nobody. A plugin config not in the files, a backend no workload
# stands behind and http that is no list are said, not guessed.
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
gw = "gateway:apisixroute:shop/storefront"
sf = nodes[gw]
assert sf["gateway_type"] == "apisix-route" and sf["hosts"] == ["shop.example.com"], sf
assert sf["ingress_class"] == "apisix" and sf["protocols"] == ["http"], sf
# ApisixTls covers the host, but only the web rule redirects plaintext
assert sf["tls"] is False, sf
assert any(f.startswith("rule api, shop.example.com: ApisixTls shop/shop-tls, and plaintext beside it")
           for f in sf["tls_termination"]), sf
assert edges[("entrypoint:internet", gw)]["via"] == "ApisixRoute"
web = edges[(gw, "service:shop/web")]
assert web["paths"] == ["/*"] and "authn_checks" not in web, web
assert x["service:shop/web"] == "internet", x
# key-auth from authentication, limit-count from the plugin config; the allow-list is not enabled
api = edges[(gw, "service:shop/api")]
assert api["authn"] == "api-key" and api["authn_checks"][0].startswith("apisix plugin key-auth (authentication keyAuth) at routes.yaml:"), api
assert api["rate_limits"][0].startswith("apisix plugin limit-count (ApisixPluginConfig api-limits) at routes.yaml:"), api
assert "allow_lists" not in api and x["service:shop/api"] == "internet", (api, x)
assert any("plugin ip-restriction is not enabled (enable: true)" in m for m in msgs), msgs
assert any("routes to service 'ghost', which selects no workload" in m for m in msgs), msgs
# JWT and an office-only whitelist
adm = edges[(gw, "service:shop/admin")]
assert adm["authn"] == "jwt" and adm["private_sources_only"] is True, adm
assert "10.0.0.0/8 172.16.0.0/12" in adm["allow_lists"][0], adm
assert x["service:shop/admin"] != "internet", x
leg = edges[(gw, "service:shop/legacy")]
assert leg["authn"] == "basic" and "which the controller writes as basic-auth" in leg["authn_checks"][0], leg
# openid-connect letting everyone through, and a rule whose plugin config is not scanned, to one Service
acc = edges[(gw, "service:shop/account")]
assert acc["authn"] not in ("oauth2", "api-key", "jwt", "basic") and acc["paths"] == ["/account/*", "/account/settings"], acc
assert any("openid-connect not counted as authentication: unauth_action: pass" in m for m in msgs), msgs
assert any("names ApisixPluginConfig 'shop/sso', which is not in the scanned files" in m for m in msgs), msgs
assert x["service:shop/account"] == "internet", x
# remoteAddrs of the office network only; a TCP stream route to the database
met = edges[("gateway:apisixroute:shop/ops", "service:shop/metrics")]
assert met["private_sources_only"] is True and "match.remoteAddrs 192.168.0.0/16" in met["allow_lists"][0], met
assert x["service:shop/metrics"] != "internet", x
assert nodes["gateway:apisixroute:shop/ops"]["protocols"] == ["http", "tcp"], nodes["gateway:apisixroute:shop/ops"]
assert ("gateway:apisixroute:shop/ops", "service:shop/db") in edges and x["service:shop/db"] == "internet", x
assert any("ApisixRoute 'broken': spec.http is not a list" in m for m in msgs), msgs
assert not any(nm["kind"] in ("ApisixRoute", "ApisixPluginConfig", "ApisixTls")
               for k in d["inputs"] for nm in k.get("not_modelled", [])), "still counted as not modelled"
PY
exit 0
