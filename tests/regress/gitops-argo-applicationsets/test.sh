# A GitOps monorepo writes one Argo CD ApplicationSet instead of an Application per app: a Git
# directory generator (apps/* minus an excluded directory) or a list generator makes the
# Applications, each sending a directory into a namespace named by a template parameter
# ({{path.basename}}, {{team}}, nested {{env.ns}}; goTemplate {{.path.path}} and
# {{index .path.segments 1}}), or releasing a chart with per-element values files. trustmap read
# none of it: every object sat in "default". Now the list and Git directory generators are
# expanded into the Applications they make, which deliver and release as written ones do; one
# note per ApplicationSet says how many it made and what it left out (matrix and Git file
# generators, Go templates beyond field references), never guessed.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "Argo CD ApplicationSets (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
names = [s["name"] for s in j["systems"]]
if names != ["in: charts/shop [shop-dev]", "in: charts/shop [shop-prod]"]:
    bad.append("systems: %s" % names)
common = {"service:api/api", "service:web/web", "service:default/legacy", "service:team-a/a",
          "service:payments-svc/payments-svc"}
def svc(m):
    return {n["id"]: n for n in m["nodes"] if n["kind"] == "service"}
first = svc(j["model"])
if set(first) != common | {"service:shop-dev/shop-dev"}:
    bad.append("first system: %s" % sorted(first))
if first.get("service:shop-dev/shop-dev", {}).get("replicas") != 2:
    bad.append("values-{{env}}.yaml not applied: %s" % first.get("service:shop-dev/shop-dev"))
second = svc(j["systems"][1]["model"]) if len(j["systems"]) > 1 and j["systems"][1].get("model") else {}
if set(second) != common | {"service:shop-prod/shop-prod"} or second.get("service:shop-prod/shop-prod", {}).get("replicas") != 4:
    bad.append("second system: %s" % sorted((k, v.get("replicas")) for k, v in second.items()))
notes = sorted(d["message"] for d in j["diagnostics"] if "ApplicationSet" in d["message"])
want = [
    "the Argo CD ApplicationSet apps generates 2 Applications from its Git directory generator",
    "the Argo CD ApplicationSet fancy generates 0 Applications from its list generator; 1 left out: Go templates other than field references ({{.path.basename}}) are not evaluated",
    "the Argo CD ApplicationSet services generates 1 Application from its Git directory generator; generators not expanded (their Applications are not modelled): matrix",
    "the Argo CD ApplicationSet shop generates 2 Applications from its list generator; generators not expanded (their Applications are not modelled): git files",
    "the Argo CD ApplicationSet teams generates 1 Application from its list generator",
]
if notes != want:
    bad.append("notes: %s" % notes)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
