# A GitOps repository writes its manifests without a namespace and lets an Argo CD Application
# send each directory into one (spec.destination.namespace). trustmap put them all in "default",
# "assumed": a NetworkPolicy written for the real namespace then isolated nothing, and every
# workload of every team shared one namespace. Now an Application whose source is a path of this
# tree places the objects written without a namespace there (a directory, non-recursive unless
# directory.recurse, minus directory.exclude; a kustomization's output), one note per Application
# says so at its destination; two Applications sending the same files to two namespaces place
# them in both (the second a copy, said so); a path out of the tree places nothing. A Flux
# Kustomization's targetNamespace places every namespaced object of its path (and the directories
# under it, or its kustomization's output) there, replacing a namespace written in them.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "Argo CD Applications' destination namespaces (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
svc = {n["id"]: n for n in j["model"]["nodes"] if n["kind"] == "service"}
want = {"service:shop/web", "service:shop/api", "service:tools/tool", "service:default/scratch", "service:batch-eu/batch",
        "service:batch-us/batch",
        "service:payments/pay", "service:payments/ledger"}
if set(svc) != want:
    bad.append("services: %s, want %s" % (sorted(svc), sorted(want)))
for s in ("service:shop/web", "service:shop/api"):
    if s in svc and svc[s].get("ingress_isolated") is not True:
        bad.append("%s is not isolated by the namespace's default deny: %s" % (s, svc[s].get("ingress_isolated")))
notes = sorted((d["path"], d["line"], d["message"]) for d in j["diagnostics"] if " delivers " in d["message"])
want_notes = [
    ("argocd/apps.yaml", 8, "the Argo CD Application web delivers apps/web into namespace shop: 1 object written without a namespace placed there"),
    ("argocd/apps.yaml", 16, "the Argo CD Application api delivers apps/api into namespace shop: 1 object written without a namespace placed there"),
    ("argocd/apps.yaml", 23, "the Argo CD Application batch-eu delivers apps/batch into namespace batch-eu: 1 object written without a namespace placed there"),
    ("argocd/apps.yaml", 30, "the Argo CD Application batch-us delivers apps/batch into namespace batch-us: 1 object written without a namespace placed there (a copy of them: another delivery sends the same files to another namespace)"),
    ("argocd/apps.yaml", 40, "the Argo CD Application tree delivers apps/tree into namespace tools: 1 object written without a namespace placed there"),
    ("clusters/flux.yaml", 11, "the Flux Kustomization payments delivers apps/flux-plain into namespace payments: 1 object placed there (targetNamespace replaces a namespace written in them)"),
    ("clusters/flux.yaml", 20, "the Flux Kustomization ledger delivers apps/flux-kust into namespace payments: 1 object placed there (targetNamespace replaces a namespace written in them)"),
]
if notes != want_notes:
    bad.append("notes: %s" % notes)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
