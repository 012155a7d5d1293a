# An Ingress's checks live in its annotations, and none was read: an operation behind
# ingress-nginx's external auth (auth-url), its basic auth, or a Kong key-auth plugin was reported
# as needing no credentials from the internet. Now the annotations become the route's checks, as a
# gateway file's would: ingress-nginx auth-url (a delegated check), auth-type basic/digest,
# auth-tls-verify-client on, source allow- and deny-lists and rate limits; Kong's konghq.com/plugins
# through the KongPlugin (the namespace's) and KongClusterPlugin objects; the AWS load balancer's
# Cognito/OIDC authentication; on GKE, the backend Service's BackendConfig (Identity-Aware Proxy,
# Cloud Armor). nginx snippets are said not to be read.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
def edge(s):
    return edges[("gateway:shop/" + s, "service:shop/" + s)]
assert edge("guarded")["authn"] == "unknown" and "external authentication" in edge("guarded")["authn_checks"][0], edge("guarded")
assert edge("guarded")["rate_limits"][0].startswith("rate limit 10"), edge("guarded")
assert edge("basic")["authn"] == "basic", edge("basic")
assert edge("kong")["authn"] == "api-key" and edge("kong")["rate_limits"] == ["kong plugin rate-limiting at ingress.yaml:56"], edge("kong")
assert edge("allow")["allow_lists"][0].startswith("source ranges 10.0.0.0/8"), edge("allow")
assert edge("iap")["authn"] == "oauth2" and edge("iap")["authn_checks"] == ["Identity-Aware Proxy (BackendConfig iap-config) at app.yaml:98"], edge("iap")
assert edge("iap")["allow_lists"][0].startswith("Cloud Armor policy office-only"), edge("iap")
open_ops = sorted(f["title"] for f in d["findings"] if f["rule"] == "TM-API-001")
assert open_ops == ["POST /allow/items needs no credentials and is reachable from outside (its clients)",
                    "POST /open/items needs no credentials and is reachable from the internet"], open_ops
assert any("configuration-snippet" in m["message"] and m["line"] == 69 for m in d["diagnostics"]), d["diagnostics"]
PY
exit 0
