# Terraform configuration that attacks the Kubernetes render: a module calling itself, two modules
# calling each other, count = 100000, count = 0, a helm_release whose chart climbs out of the tree,
# a kubernetes_manifest reading a file outside it, and a provider resource that changes an object
# made elsewhere (kubernetes_labels). The scan ends quickly, makes one object of the counted
# resource and none of count = 0, and says what it did not read.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "hostile Terraform for the Kubernetes render (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
svc = sorted(n["id"] for n in j["model"]["nodes"] if n["kind"] == "service")
if svc != ["service:edge/unknown (fleet-${count.index})"]:
    bad.append("services: %s" % svc)
msgs = [(d["path"], d["message"]) for d in j["diagnostics"]]
def said(path, text):
    if not any(p == path and text in m for p, m in msgs):
        bad.append("not said at %s: %s" % (path, text))
said("main.tf", "terraform kubernetes_deployment.fleet: count makes its objects; modelled as one object")
said("main.tf", "the Terraform helm_release helm_release.escape deploys chart ../../../../etc/charts/x, a path outside the scanned tree")
said("main.tf", "terraform kubernetes_manifest.outside: its manifest is unknown (yamldecode(file(\"${path.module}/../../outside.yaml\"))), a file outside the scanned tree")
said("main.tf", "terraform kubernetes_labels.ns: a kubernetes provider resource that changes or reads objects made elsewhere")
if not any("not followed (a cycle" in m for p, m in msgs):
    bad.append("the module cycle is not said")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
