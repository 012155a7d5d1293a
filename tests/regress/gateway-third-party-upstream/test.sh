# A gateway route to a third party (a Kong service url on a public host, as most of the Kong
# corpus' routes are: mockbin.org, httpbin.org) became only an unresolved_upstreams fact: its
# paths, hosts and checks were in no edge (gateway_truth: Kong path, hosts, checks 0 of 108). Now
# the route reaches an external:<host> node with them; a cluster-local name nothing answers to,
# and localhost, stay unresolved.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "third-party upstreams (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
e = [e for e in j["model"]["edges"] if e["to"] == "external:api.partner-payments.com" and e["kind"] == "routes"]
if not e or e[0].get("paths") != ["/pay*"] and e[0].get("paths") != ["/pay"] or e[0].get("authn") != "api-key":
    bad.append("the route to the third party: %s" % e)
ids = {n["id"] for n in j["model"]["nodes"]}
if any(i.startswith("external:legacy") or i.startswith("external:localhost") for i in ids):
    bad.append("a cluster-local or loopback upstream became a third party: %s" % sorted(i for i in ids if i.startswith("external:")))
gw = [n for n in j["model"]["nodes"] if n["id"].startswith("gateway:kong:")][0]
if "legacy.shop.svc.cluster.local" not in (gw.get("unresolved_upstreams") or []):
    bad.append("the cluster-local upstream is not said unresolved: %s" % gw.get("unresolved_upstreams"))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
