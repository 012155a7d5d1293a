# One directory delivered into several namespaces (an ApplicationSet's list generator per
# environment over one path: plain manifests, and a kustomization). trustmap said "another
# delivery sends the same files elsewhere" and left every object in "default": no environment was
# modelled where it runs. Now the first delivery places the files and each delivery into another
# namespace places a copy of the objects it places (cluster-scoped objects, and those written with
# a namespace, are the same objects and are not copied: one system, no variants), said in its note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "one directory into several namespaces (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
if [s["name"] for s in j["systems"]] != ["in"]:
    bad.append("systems: %s (a copy of a cluster-scoped object made variants?)" % [s["name"] for s in j["systems"]])
svc = {n["id"]: n for n in j["model"]["nodes"] if n["kind"] == "service"}
want = {"service:web-dev/web", "service:web-prod/web", "service:api-dev/api", "service:api-prod/api", "service:api-prod2/api"}
if set(svc) != want:
    bad.append("services: %s" % sorted(svc))
if any("tier=api" not in (svc.get(s, {}).get("labels") or []) for s in want if "api" in s):
    bad.append("the kustomization's copies lost its labels: %s" % {s: svc.get(s, {}).get("labels") for s in want})
copies = sorted(d["message"].split(" delivers ")[0] for d in j["diagnostics"] if "(a copy of them" in d["message"])
if copies != ["the Argo CD Application api-prod", "the Argo CD Application api-prod2", "the Argo CD Application web-prod"]:
    bad.append("copies said: %s" % copies)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
