# A YAML file kubernetes_manifest reads (yamldecode(file(...))) was also scanned on its own, as a
# second variant of the system holding a Service that selects nothing. The file is the render's
# input, as a kustomization's resources are: one system, the Service selecting the Terraform
# Deployment and exposing it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "a file a Terraform render reads scanned apart (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
systems = [s.get("name") for s in j.get("systems", [])]
if len(systems) > 1:
    bad.append("systems: %s" % systems)
if j["exposure"].get("service:store/web") != "internet":
    bad.append("exposure: %s" % j["exposure"])
if any("selects no workload" in d["message"] for d in j["diagnostics"]):
    bad.append("the Service is read apart from the Deployment")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
