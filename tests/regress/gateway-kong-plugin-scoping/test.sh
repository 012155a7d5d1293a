# Kong plugin scoping was ignored: a plugin nested under a service with `route: admin` checked every
# route of the service; a plugin naming a consumer or consumer group (`consumer: alice`,
# `consumer_group: gold`), which Kong runs for those callers only, counted as the route's
# authentication, rate limit or allow-list for everyone (a top-level one with only consumer_group
# even as global); a route's plugin scoped to another service (`service: billing`) still ran on it.
# Measured by tests/e2e/gateway_truth.py (kong-deck sync/041-plugins-nested-foreign-keys).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "kong plugin scoping (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
eps = {n["name"]: n for n in j["model"]["nodes"] if n["kind"] == "endpoint"}
edges = {e["to"].rsplit("/", 1)[-1]: e for e in j["model"]["edges"]
         if e["from"] == "gateway:kong:kong.yml" and e["kind"] == "routes"}
bad = []
admin = eps.get("DELETE /admin/users", {})
if admin.get("authn") != "api-key" or admin.get("authn_at") != "kong plugin key-auth at kong.yml:6":
    bad.append("/admin lost its key-auth (nested under the service, route: admin): %s" % admin)
for op in ("POST /public/items", "POST /orders"):
    n = eps.get(op, {})
    got = {k: n.get(k) for k in ("authn", "authn_at", "rate_limit", "allow_list")}
    if got != {"authn": "none", "authn_at": None, "rate_limit": None, "allow_list": None}:
        bad.append("%s: checked by a plugin scoped elsewhere (a consumer, a group, another route or service): %s"
                   % (op, got))
for svc in ("api", "shop"):
    e = edges.get(svc, {})
    if e.get("authn") != "none" or e.get("rate_limits") or e.get("allow_lists"):
        bad.append("the edge to %s carries checks that do not run for everyone: %s" % (svc, e))
if edges.get("shop", {}).get("authn_checks"):
    bad.append("the edge to shop cites a jwt scoped to service billing: %s" % edges["shop"])
unauth = sorted(f["subject"] for f in j["findings"] if f["rule"] == "TM-API-001")
if len(unauth) != 2:
    bad.append("TM-API-001 should say POST /public/items and POST /orders need no credentials: %s" % unauth)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
