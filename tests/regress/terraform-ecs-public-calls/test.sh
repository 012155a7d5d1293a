# An ECS service with a public IP was not modelled as reachable: assign_public_ip with a security
# group that admits 0.0.0.0/0 on a port its containers listen on is a route from the internet straight
# to the service (located at the group's rule); a group that admits one office range is none. The
# addresses in a container's environment that name another service by its Service Connect name or
# its Cloud Map name (<service>.<namespace>) are calls.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/sys"
cp "$(dirname "$0")/main.tf" "$WORK/sys/"
run_bounded 60 "$TRUSTMAP" scan "$WORK/sys" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "ECS public IP and calls: see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"], e["kind"]): e for e in d["model"]["edges"]}
x = d["exposure"]
def need(cond, what):
    if not cond:
        print("regress:", what, file=sys.stderr)
        sys.exit(1)
web, jobs, cart, stock = ("service:ecs:shop/" + s for s in ("web", "jobs", "cart", "stock"))
r = edges.get(("entrypoint:internet", web, "routes"))
need(r and r.get("ports") == ["8080"], "a public IP and a world-open group on its port: routed from the internet: %s" % r)
need(r and r["evidence"][0]["line"] == 30, "located at the group's rule: %s" % (r and r["evidence"]))
need(x.get(web) == "internet", "web is internet-exposed")
need(("entrypoint:internet", jobs, "routes") not in edges, "a group admitting the office only: no route")
need(x.get(jobs) != "internet", "jobs is not internet-exposed: %s" % x.get(jobs))
need(("entrypoint:internet", cart, "routes") not in edges, "no public IP: no route, whatever its group")
c = edges.get((web, cart, "calls"))
need(c and c.get("env") == ["CART_URL"], "web calls cart by its Service Connect name: %s" % c)
need((cart, stock, "calls") in edges, "cart calls stock by its Cloud Map name")
need("stock.internal.shop" in nodes[stock].get("hostnames", []), "the Cloud Map name is the service's")
PY
exit 0
