# helm_release resources (the Helm provider): a chart of the tree (chart = "${path.module}/...")
# released with a values file whose path a local completes, yamlencode'd inline values, a set and
# a set_sensitive from a variable without a value; a chart of a Helm repository and one of an OCI
# registry. trustmap modelled nothing of them (the chart rendered with its values.yaml alone: a
# ClusterIP Service, image tag latest, no Ingress). Now the release renders with its values into
# its namespace, as a GitOps release does, and the remote charts are said, not fetched.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "helm_release rendered with its values (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
nodes = {n["id"]: n for n in j["model"]["nodes"]}
svc = nodes.get("service:catalog/catalog")
if not svc or svc.get("images") != ["registry.example.com/catalog:5.2.0"]:
    bad.append("the values file (values/catalog-${local.env}.yaml) not read: %s" % (svc or {}).get("images"))
if "gateway:catalog/catalog" not in nodes:
    bad.append("the yamlencode'd values (ingress.enabled) not read")
if j["exposure"].get("service:catalog/catalog") != "internet":
    bad.append("set service.type=LoadBalancer not applied: %s" % j["exposure"])
notes = sorted((d["line"], d["message"]) for d in j["diagnostics"] if d["path"] == "deploy/main.tf")
want = [
    (7, "the Terraform helm_release helm_release.catalog releases chart deploy/charts/catalog as catalog into namespace "
        "catalog, rendered with 1 values file, inline values, 2 parameters; not read: 1 set value the files do not "
        "decide (kept as written)"),
    (41, "the Terraform helm_release helm_release.cert_manager deploys chart cert-manager from "
         "https://charts.jetstack.io: a chart of a Helm repository is not fetched, so what it deploys is not modelled"),
    (48, "the Terraform helm_release helm_release.podinfo deploys chart oci://ghcr.io/stefanprodan/charts/podinfo from "
         "a registry: a chart of a Helm repository is not fetched, so what it deploys is not modelled"),
]
if notes != want:
    bad.append("notes: %s" % notes)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
grep -q '^\*\*Incomplete:\*\* 2 deployments the inputs name are not among them' "$WORK/out" \
  || { grep -i incomplete "$WORK/out" >&2; fail "the report does not say the model is incomplete"; }
