# A Flux Kustomization's postBuild.substitute (svc_type: LoadBalancer, for `type: ${svc_type:=ClusterIP}`
# in the manifests it applies) was not applied: the Service stayed `${svc_type:=ClusterIP}`, and the
# system "exposed nothing reachable from the internet". kustomize-controller substitutes before it
# applies, with nothing from the cluster when the variables are inline; so does the scan now. A
# variable substituteFrom would set stays as written (its default when it has one), with a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exposure"].get("service:web/web") == "internet", d["exposure"]
assert not [x for x in d["diagnostics"] if "postBuild" in x["message"]], d["diagnostics"]
PY
# from the cluster's ConfigMaps: not known, said, and the default stands (ClusterIP)
mkdir -p "$WORK/from"
cp -r "$CASE/in/." "$WORK/from/"
python3 - "$WORK/from/clusters/prod/web.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace("    substitute:\n      svc_type: LoadBalancer", "    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-vars")
open(p, "w").write(s)
PY
run_bounded 60 "$TRUSTMAP" scan "$WORK/from" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "substituteFrom (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert any("substituteFrom" in x["message"] for x in d["diagnostics"]), d["diagnostics"]
assert d["exposure"].get("service:web/web") != "internet", d["exposure"]
PY
# one base delivered twice into one namespace with different variables (Flux's usual way to make
# two apps of one template): two sets of objects, not the first alone
run_bounded 60 "$TRUSTMAP" scan "$CASE/twice" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "two deliveries (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
svc = sorted(n["id"] for n in d["model"]["nodes"] if n["id"].startswith("service:web/"))
assert svc == ["service:web/web-a", "service:web/web-b"], svc
assert d["exposure"].get("service:web/web-b") == "internet", d["exposure"]
PY
exit 0
