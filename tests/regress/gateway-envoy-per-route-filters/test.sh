# Envoy's per-route filter settings (typed_per_filter_config of a route, a virtual host or the route
# configuration, the most specific winning) were read only as `disabled: true` on the connection
# manager's last authentication filter: a route turning jwt_authn off beside an ext_authz was read
# as unauthenticated, one turning ext_authz off beside a jwt_authn was not checked, a virtual host's
# FilterConfig off could not be turned back on by a route, RBACPerRoute was ignored (a route
# opting out of the allow-list was read as listed), a jwt_authn requirement_name was not read and a
# jwt_authn without rules was read as verifying every route (it verifies only routes naming a
# requirement), and a filter written `disabled: true` (on only where a route turns it on) was read
# as checking every route. Now each checking filter is applied route by route: TM-API-001 fires
# on the operation behind /d/none/ (no requirement named), not on /c/no-jwt/ (ext_authz still
# checks it).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "envoy per-route filter settings (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
gw = "gateway:envoy:envoy.yaml"
edges = {e["to"].rsplit("/", 1)[-1]: e for e in j["model"]["edges"] if e["from"] == gw and e["kind"] == "routes"}
authz, both_authz, both_jwt = "envoy.filters.http.ext_authz at envoy.yaml:%d", 85, 89
want = {  # backend: (authn, authn_checks, allow_lists, deny_rules)
    "backend-authz": ("unknown", [authz % 50], None, None),
    "backend-authz-off": ("none", None, None, None),
    "backend-authz-settings": ("unknown", [authz % 50], None, None),
    "backend-vh-off": ("none", None, None, None),
    "backend-vh-on": ("unknown", [authz % 50], None, None),
    "backend-no-jwt": ("unknown", [authz % both_authz], None, None),
    "backend-no-authz": ("jwt", ["envoy.filters.http.jwt_authn at envoy.yaml:%d" % both_jwt], None, None),
    "backend-req-strict": ("jwt", ["envoy.filters.http.jwt_authn requirement strict at envoy.yaml:120"], None, None),
    "backend-req-optional": ("none", None, None, None),
    "backend-req-unknown": ("jwt", ["envoy.filters.http.jwt_authn requirement nosuch at envoy.yaml:132"], None, None),
    "backend-req-none": ("none", None, None, None),
    "backend-req-disabled": ("none", None, None, None),
    "backend-rbac-listed": ("none", None, ["envoy.filters.http.rbac at envoy.yaml:201"], None),
    "backend-rbac-open": ("none", None, None, None),
    "backend-rbac-deny": ("none", None, None, ["envoy.filters.http.rbac at envoy.yaml:192"]),
    "backend-default-off": ("none", None, None, None),
    "backend-enabled": ("unknown", [authz % 236], None, None),
}
bad = []
for name, exp in sorted(want.items()):
    e = edges.get(name)
    got = tuple(e.get(k) for k in ("authn", "authn_checks", "allow_lists", "deny_rules")) if e else None
    if got != exp:
        bad.append("%s: %s, expected %s" % (name, got, exp))
warn = [(d["line"], d["column"]) for d in j["diagnostics"] if d["path"] == "envoy.yaml" and d["severity"] == "warning"]
if warn != [(133, 39)]:
    bad.append("warnings: %s, expected the unknown requirement_name at 133:39" % warn)
api001 = {p for f in j["findings"] if f["rule"] == "TM-API-001" for p in f["subject"].split("/") if p.startswith("backend-")}
if api001 != {"backend-req-none"}:
    bad.append("TM-API-001 on %s, expected backend-req-none only" % sorted(api001))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
