# Microservices deployed from Terraform with the kubernetes provider (kubernetes_deployment_v1,
# _service_v1, _secret_v1, _cluster_role_binding_v1, kubernetes_manifest inline and from
# yamldecode(file(...)), a local module called with a namespace from kubernetes_namespace_v1's
# metadata[0].name). trustmap read none of them: "0 services". Now each resource is the object it
# creates, every finding located at its .tf line; a Secret's data written in the .tf is committed
# (and one from a variable without a value is not, but said).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "kubernetes provider resources as objects (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
svc = sorted(n["id"] for n in j["model"]["nodes"] if n["kind"] == "service")
if svc != ["service:shop/orders", "service:shop/payments"]:
    bad.append("services: %s" % svc)
def find(rule):
    return [f for f in j["findings"] if f["rule"] == rule]
def at(f):
    e = f["evidence"][0]
    return (e["path"], e["line"])
ctr = find("TM-CTR-001")
if len(ctr) != 1 or at(ctr[0]) != ("main.tf", 54) or "hostPID" not in ctr[0]["title"]:
    bad.append("TM-CTR-001: %s" % [(f["title"], at(f)) for f in ctr])
sec = find("TM-SEC-003")
if len(sec) != 1 or at(sec[0]) != ("main.tf", 93) or "api_key" not in sec[0]["title"]:
    bad.append("TM-SEC-003: %s" % [(f["title"], at(f)) for f in sec])
lit = find("TM-SEC-001")
if len(lit) != 1 or at(lit[0]) != ("main.tf", 51):
    bad.append("TM-SEC-001: %s" % [(f["title"], at(f)) for f in lit])
if not find("TM-ID-005"):
    bad.append("cluster-admin binding not read")
if any("webhook_secret" in f["title"] and "committed" in f["title"] for f in j["findings"]):
    bad.append("a value from a variable without a value is taken for a committed one")
pol = sorted((p["name"], p["at"]["path"]) for p in j["policies"])
if pol != [("default-deny", "policies/deny.yaml"), ("payments-from-orders", "main.tf")]:
    bad.append("policies: %s" % pol)
if j["exposure"].get("service:shop/orders") != "none":
    bad.append("the default deny read from the YAML file does not apply: %s" % j["exposure"])
notes = [d["message"] for d in j["diagnostics"] if d["path"] == "main.tf"]
if not any("webhook_secret = unknown (var.stripe_webhook_secret)" in m for m in notes):
    bad.append("the unknown value is not said: %s" % notes)
if not any("creates 10 Kubernetes objects" in m for m in notes):
    bad.append("the render is not said: %s" % notes)
if any("does not model" in d["message"] for d in j["diagnostics"]):
    bad.append("kubernetes resources counted as not modelled")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
