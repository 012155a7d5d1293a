# An Argo CD Application's source can change what it applies (kustomize: images, namePrefix...),
# and so can a Flux Kustomization (images, namePrefix...; its postBuild substitutions and patches are
# applied now, see flux-postbuild-substitute and flux-kustomization-patches). trustmap
# placed the objects and said nothing of the changes it did not apply, so a reader took the
# images and names as the cluster's. Now each such object says, in one note at the first change,
# which changes were not applied.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "GitOps changes not applied, said (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
notes = sorted((d["path"], d["line"], d["message"]) for d in j["diagnostics"] if "not applied here" in d["message"])
want = [("app.yaml", 8, "the Argo CD Application web changes what it applies with images, namePrefix: not applied here, its objects are modelled as the files (or their kustomization) give them"),
        ("app.yaml", 19, "the Flux Kustomization web2 changes what it applies with images: not applied here, its objects are modelled as the files (or their kustomization) give them")]
svc = sorted(n["id"] for n in j["model"]["nodes"] if n["kind"] == "service")
bad = []
if notes != want:
    bad.append("notes: %s" % notes)
if svc != ["service:other/api", "service:shop/web"]:
    bad.append("services: %s" % svc)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
