# The other ways Terraform writes Kubernetes objects: a kubectl_manifest whose yaml_body is a
# heredoc (the gavinbunney/kubectl provider, common in EKS add-on modules) and a kubernetes_pod in
# JSON syntax (.tf.json, blocks as lists). Both were read as nothing. Now both are objects, the
# heredoc's fields located at their own .tf lines (the NodePort at line 9) and the JSON's at its.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "kubectl_manifest heredoc and .tf.json objects (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
svc = sorted(n["id"] for n in j["model"]["nodes"] if n["kind"] == "service")
if svc != ["service:ops/admin"]:
    bad.append("services: %s" % svc)
at = {f["rule"]: (f["evidence"][0]["path"], f["evidence"][0]["line"]) for f in j["findings"]}
if at.get("TM-MESH-004") != ("main.tf", 9):
    bad.append("NodePort not located in the heredoc: %s" % at.get("TM-MESH-004"))
if at.get("TM-CTR-001") != ("pod.tf.json", 7):
    bad.append("hostNetwork not located in the JSON: %s" % at.get("TM-CTR-001"))
if j["exposure"].get("service:ops/admin") != "internet":
    bad.append("exposure: %s" % j["exposure"])
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
