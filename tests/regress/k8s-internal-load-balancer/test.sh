# A LoadBalancer Service or Ingress the cloud keeps on the private network (GKE's
# networking.gke.io/load-balancer-type: Internal, AWS's scheme internal, Azure's
# azure-load-balancer-internal...) was read as internet-facing: bank-of-anthos' internal API gateway
# made five services "exposed" and an attack path from the internet. Its clients are the private
# network (a partner position), and an Istio Gateway whose ingress pods only such Services expose
# is reached from there too; a plain LoadBalancer stays internet-facing.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "internal load balancers (see above)"
import json, sys
import regress
j = json.load(open(sys.argv[1]))
x = j["exposure"]
want = {"service:bank/ledger": "partner", "gateway:bank/reports": "partner", "service:bank/reports": "partner",
        "gateway:istio:bank/api-gateway": "partner", "service:bank/accounts": "partner", "service:bank/web": "internet"}
bad = ["%s: %s, expected %s" % (k, x.get(k), v) for k, v in want.items() if x.get(k) != v]
internal = [e for e in j["model"]["edges"] if e["from"] == "entrypoint:partner:private-network"]
if not any(e.get("internal") == "networking.gke.io/load-balancer-type: Internal" and
           e["evidence"][0]["path"] == "app.yaml" and e["evidence"][0]["line"] == 15 for e in internal):
    bad.append("the internal load balancer's edge does not name and locate its annotation: %s" % internal)
mesh4 = [m["node"] for m in regress.members(j["findings"], "TM-MESH-004")]
if mesh4 != ["service:bank/web"] and sorted(set(mesh4)) != ["service:bank/web"]:
    bad.append("TM-MESH-004 should name web alone: %s" % mesh4)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
