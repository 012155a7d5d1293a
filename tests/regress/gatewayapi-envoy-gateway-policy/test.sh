# Routes of the Gateway API carried no check (authn unknown) though Envoy Gateway's SecurityPolicy
# and BackendTrafficPolicy objects attached JWT, basic auth, client-address allow-lists and rate
# limits to them: they were not even read (counted as not modelled). Now the policies targeting a
# route, else its Gateway, put their checks on the routes edges (the route's own winning); a route of
# an Envoy Gateway gateway no policy reaches has none; a route of another implementation's gateway
# stays unknown; a policy choosing routes by label is said, not guessed.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
x = d["exposure"]
msgs = [m["message"] for m in d["diagnostics"]]
api = edges[("gateway:gwapi:infra/edge", "service:shop/api")]
assert api["authn"] == "jwt" and api["enforced_at"] == "gateway", api
assert api["authn_checks"][0].startswith("envoy gateway jwt (SecurityPolicy shop/api-jwt) at policies.yaml:"), api
assert api["rate_limits"][0].startswith("envoy gateway rate limit (BackendTrafficPolicy shop/api-limit)"), api
adm = edges[("gateway:gwapi:infra/edge", "service:shop/admin")]  # the Gateway's policy
assert adm["authn"] == "basic" and "SecurityPolicy infra/edge-basic" in adm["authn_checks"][0], adm
web = edges[("gateway:gwapi:infra/edge", "service:shop/web")]  # its own policy replaces the Gateway's
assert web["authn"] == "none" and web["private_sources_only"] is True, web
assert "client CIDRs 10.0.0.0/8 192.168.0.0/16" in web["allow_lists"][0], web
assert x["service:shop/web"] != "internet" and x["service:shop/api"] == "internet", x
assert edges[("gateway:gwapi:infra/bare", "service:shop/open")]["authn"] == "none"  # an optional certificate
e = edges[("gateway:gwapi:infra/certs", "service:shop/partner")]  # a required client certificate
assert e["authn"] == "mtls" and "client certificate (ClientTrafficPolicy infra/certs-mtls)" in e["authn_checks"][0], e
assert edges[("gateway:gwapi:infra/mixed", "service:shop/partner")]["authn"] == "none"  # an HTTP listener too
assert edges[("gateway:gwapi:infra/other", "service:shop/other")]["authn"] == "unknown", edges[("gateway:gwapi:infra/other", "service:shop/other")]
assert any("SecurityPolicy infra/bare-listener targets one section (sectionName)" in m for m in msgs), msgs
assert any("SecurityPolicy shop/by-label targets routes by label (targetSelectors)" in m for m in msgs), msgs
assert not any(i.get("not_modelled") for i in d["inputs"]), d["inputs"]
PY
