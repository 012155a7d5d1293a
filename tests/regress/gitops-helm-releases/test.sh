# A GitOps repository releases its own charts with values of their own: an Argo CD Application
# whose source path holds a chart (helm.valueFiles, values or valuesObject, parameters,
# releaseName, destination.namespace; "$ref/..." files of another source) and a Flux HelmRelease
# whose chart is a path of its Git source (valuesFiles that replace values.yaml, values,
# targetNamespace, the [targetNamespace-]name release). trustmap rendered each chart once with its
# values.yaml alone, as "release-name" in "default": the production Ingress, the privileged
# parameter and the release's namespace were all missed. Now each release renders the chart with
# its values into its namespace (two releases of one chart are two variants), a note per release
# says how, and a chart from a Helm repository renders nothing (it is not fetched) and says so.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "GitOps releases of the tree's charts (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
names = [s["name"] for s in j["systems"]]
if names != ["in: charts/web [web-prod]", "in: charts/web [web-staging]"]:
    bad.append("systems: %s" % names)
def nodes(m):
    return {n["id"]: n for n in m["nodes"] if n["kind"] in ("service", "gateway")}
prod = nodes(j["model"])
want = {"gateway:prod/shop-web", "service:prod/shop-web", "service:backend/backend-api"}
if set(prod) != want:
    bad.append("prod system: %s, want %s" % (sorted(prod), sorted(want)))
web = prod.get("service:prod/shop-web", {})
if web.get("images") != ["registry.example.com/web:2.0"]:
    bad.append("the image.tag parameter (forceString) did not apply: %s" % web.get("images"))
api = prod.get("service:backend/backend-api", {})
if api.get("ports") != ["9090"] or api.get("ingress_isolated") is not False:
    bad.append("the Flux valuesFiles did not replace values.yaml: ports %s, isolated %s" % (api.get("ports"), api.get("ingress_isolated")))
rules = {(f["rule"], f["subject"]) for f in j["findings"]}
if ("TM-CTR-001", "service:prod/shop-web") not in rules:
    bad.append("the securityContext.privileged parameter (typed true) made no privileged finding: %s" % sorted(rules))
if ("TM-SEC-001", "service:backend/backend-api") not in rules:
    bad.append("the HelmRelease's spec.values (an env password) were not used: %s" % sorted(rules))
staging = j["systems"][1].get("model") if len(j["systems"]) > 1 else None
if staging is not None:
    st = nodes(staging)
    if set(st) != {"service:staging/web-staging-web", "service:backend/backend-api"}:
        bad.append("staging system: %s" % sorted(st))
    w = st.get("service:staging/web-staging-web", {})
    if w.get("images") != ["registry.example.com/web:1.1"] or w.get("replicas") != 2:
        bad.append("the $values file and the values string did not apply: %s %s" % (w.get("images"), w.get("replicas")))
else:
    bad.append("the staging system has no model")
notes = sorted((d["path"], d["line"], d["message"]) for d in j["diagnostics"] if " releases chart " in d["message"])
want_notes = [
    ("argocd/web.yaml", 10, "the Argo CD Application web-prod releases chart charts/web as shop into namespace prod, rendered with 1 values file, 2 parameters"),
    ("argocd/web.yaml", 36, "the Argo CD Application web-staging releases chart charts/web as web-staging into namespace staging, rendered with 1 values file, inline values"),
    ("clusters/api.yaml", 11, "the Flux HelmRelease api releases chart charts/api as backend-api into namespace backend, rendered with 1 values file (instead of values.yaml), inline values"),
]
if notes != want_notes:
    bad.append("notes: %s" % notes)
remote = [(d["path"], d["line"]) for d in j["diagnostics"] if "deploys chart podinfo from a HelmRepository: it is not fetched" in d["message"]]
if remote != [("clusters/api.yaml", 30)]:
    bad.append("the chart of a Helm repository is not said once: %s" % remote)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
