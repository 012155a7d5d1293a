# A chart kept in git without its library dependency (charts/ is filled by `helm dependency build`,
# which needs the network) named a template no file defines in every object: Helm's error, nothing
# rendered, a scan of such a chart found no service at all. Now each missing template stands in
# (names and labels by Helm's conventions, security contexts, images and values as the chart passes
# them) and one note at the dependency says which: the Deployment, its Service, its Ingress and its
# ServiceAccount are modelled, linked and exposed as written, and its hardened security context is
# read (no privileged or root finding), and its resource preset sets limits.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "a chart missing its library dependency is not modelled (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
nodes = {n["id"]: n for n in j["model"]["nodes"]}
svc = nodes.get("service:default/release-name-storefront")
if not svc:
    bad.append("no Deployment modelled: %s" % sorted(nodes))
else:
    if svc.get("images") != ["docker.io/acme/storefront:2.8.0-debian-12-r3"]:
        bad.append("image: %s" % svc.get("images"))
    if svc.get("k8s_services") != ["release-name-storefront"]:
        bad.append("the Service does not select the Deployment: %s" % svc.get("k8s_services"))
    if svc.get("service_account") != "release-name-storefront":
        bad.append("service account: %s" % svc.get("service_account"))
if j["exposure"].get("service:default/release-name-storefront") != "internet":
    bad.append("the Ingress does not route to the Deployment: %s" % j["exposure"])
rules = sorted(f["rule"] for f in j["findings"])
for r in ("TM-CTR-001", "TM-CTR-002", "TM-CTR-003", "TM-CTR-005"):
    if r in rules:
        bad.append("the security context or the resource preset was not read: %s" % rules)
notes = [d for d in j["diagnostics"] if "stood in" in d["message"]]
if len(notes) != 1 or notes[0]["path"] != "chart/Chart.yaml" or notes[0]["line"] != 8 \
        or not notes[0]["message"].startswith("13 templates of what the chart declares but does not vendor (common) stood in"):
    bad.append("the stand-ins are not said once at the dependency: %s" % notes)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
