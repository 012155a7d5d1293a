# ECS services behind load balancers were not modelled: a Terraform ECS estate was "services 0",
# nothing reachable from the internet. An internet-facing ALB (internal absent: the provider's
# default) is a gateway routed from the internet whose listeners route to the services their target
# groups hold (a forward block too); an authenticate-oidc action is the check of its rule's route,
# and the route's check is the weakest of the routes to the service; a plain HTTP listener that
# forwards makes the gateway plaintext (TM-MESH-013), one that only redirects does not; an internal
# ALB (aws_alb) is reached from the private network only; an `internal` the files do not decide is
# analysed as internet-facing, said on the node and in a note at the value.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/sys"
cp "$(dirname "$0")/main.tf" "$WORK/sys/main.tf"
run_bounded 60 "$TRUSTMAP" scan "$WORK/sys" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "ECS behind an ALB: see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"], e["kind"]): e for e in d["model"]["edges"]}
x = d["exposure"]
def need(cond, what):
    if not cond:
        print("regress:", what, file=sys.stderr)
        sys.exit(1)
portal, ledger = "service:ecs:payments/portal", "service:ecs:payments/ledger"
pub, inner, billing = "gateway:aws-alb:payments-public", "gateway:aws-alb:payments-internal", "gateway:aws-alb:billing"
need(portal in nodes and nodes[portal].get("workload") == "EcsService", "the ECS service is a workload")
need(("entrypoint:internet", pub, "routes") in edges, "the public ALB is routed from the internet")
r = edges.get((pub, portal, "routes"))
need(r is not None, "the public ALB routes to the portal service")
need(r["authn"] == "none", "the weakest route to the portal (the default action) checks nothing: %s" % r.get("authn"))
need(any("authenticate-oidc" in c for c in r.get("authn_checks", [])), "the OIDC login of the /admin rule is named: %s" % r)
need("/admin/*" in r.get("paths", []), "the rule's path is on the route")
need(nodes[pub].get("tls") is False, "an HTTP listener that forwards: the gateway is plaintext")
need(x.get(portal) == "internet", "the portal is internet-exposed: %s" % x.get(portal))
need(("entrypoint:internet", inner, "routes") not in edges, "an internal ALB has no internet route")
need((inner, ledger, "routes") in edges, "the internal ALB routes to the ledger")
need(x.get(ledger) != "internet", "the ledger is not internet-exposed: %s" % x.get(ledger))
need("assumed" in nodes.get(billing, {}) and "internet-facing" in nodes[billing]["assumed"], "an unknown internal is stated as an assumption")
need(("entrypoint:internet", billing, "routes") in edges, "... and analysed as internet-facing")
need(nodes[billing].get("tls") is True, "an HTTP listener that only redirects leaves the gateway's TLS true")
rules = {}
for f in d["findings"]:
    rules.setdefault(f["rule"], []).append(f)
need(any(pub in f["title"] for f in rules.get("TM-MESH-013", [])), "TM-MESH-013 on the public ALB")
need(not any(billing in f["title"] for f in rules.get("TM-MESH-013", [])), "no TM-MESH-013 on the redirecting ALB")
notes = [g for g in d["diagnostics"] if "analysed as internet-facing" in g["message"]]
need(notes and notes[0]["line"] == 150, "the note is at the variable's use: %s" % notes)
PY
exit 0
