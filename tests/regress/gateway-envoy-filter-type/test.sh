# Envoy filters were recognised by their name only: an HTTP filter named "authz" whose typed_config
# is an ExtAuthz (Envoy picks the extension by the type) was no check, nor a LocalRateLimit named
# "limits", an RBAC named "only-office" or a JwtAuthentication wrapped in a TypedStruct; an
# http_connection_manager named "hcm" lost its routes. Now the `@type` (a TypedStruct's type_url)
# decides, the name only without one; the per-route exemption still goes by the filter's name (the
# typed_per_filter_config keys).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "envoy http filters by type (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
edges = {e["to"].rsplit("/", 1)[-1]: e for e in j["model"]["edges"]
         if e["from"] == "gateway:envoy:envoy.yaml" and e["kind"] == "routes"}
bad = []
def expect(svc, key, value):
    got = edges.get(svc, {}).get(key)
    if got != value:
        bad.append("%s %s: %s, expected %s" % (svc, key, got, value))
expect("orders", "authn", "unknown")
expect("orders", "authn_checks", ["authz at envoy.yaml:26"])
expect("orders", "rate_limits", ["limits at envoy.yaml:31"])
expect("orders", "allow_lists", ["only-office at envoy.yaml:36"])
expect("health", "authn", "none")      # typed_per_filter_config turns "authz" off for /healthz
expect("health", "authn_checks", None)
expect("health", "rate_limits", ["limits at envoy.yaml:31"])
expect("reports", "authn", "jwt")
expect("reports", "authn_checks", ["tokens at envoy.yaml:64"])
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
