# scan --helm=binary renders charts with the helm program instead of the native engine: its output
# split at helm's "# Source:" comments, located at the templates, values files passed with -f in
# order, an environment of PATH and HOME only; without helm on PATH it is a usage error, and a helm
# that fails is an error diagnostic while the rest of the scan goes on. A stand-in helm (a script
# printing what `helm template` prints for this chart) is used, so the test runs where helm is
# absent; where helm is installed, the real one renders the chart too.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/bin" "$WORK/repo"
cp -r "$CASE/chart" "$WORK/repo/"
cat >"$WORK/bin/helm" <<'SH'
#!/bin/sh
# a stand-in for `helm template NAME CHART --namespace NS [-f FILE]...`
[ "$1" = template ] || exit 2
type=ClusterIP
while [ $# -gt 0 ]; do
  if [ "$1" = -f ]; then type=$(sed -n 's/^type: //p' "$2"); fi
  shift
done
[ -n "$MUST_NOT_LEAK" ] && { echo "the environment leaked" >&2; exit 3; }
printf -- '---\n# Source: web/templates/deploy.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: "example/web:1"}]}\n'
printf -- '---\n# Source: web/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: %s, selector: {app: web}, ports: [{port: 80}]}\n' "$type"
SH
chmod +x "$WORK/bin/helm"

PATH="$WORK/bin:$PATH" MUST_NOT_LEAK=1 run_bounded 60 "$TRUSTMAP" scan "$WORK/repo" --helm=binary --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "helm's output was not modelled at its template (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in j["model"]["nodes"]}
svc = nodes.get("service:default/web")
if not svc:
    print("no service:default/web; nodes: %s; diagnostics: %s" % (sorted(nodes), j["diagnostics"]), file=sys.stderr)
    sys.exit(1)
paths = {e["path"] for e in svc["evidence"]}
if not {"chart/templates/svc.yaml", "chart/templates/deploy.yaml"} <= paths:
    print("evidence %s, want the two templates" % sorted(paths), file=sys.stderr)
    sys.exit(1)
helm = [i["path"] for i in j["inputs"] if i["kind"] == "helm"]
if "chart/templates/svc.yaml" not in helm or "chart/Chart.yaml" not in helm:
    print("the chart's files are not inputs of the helm render: %s" % helm, file=sys.stderr)
    sys.exit(1)
PY
# without helm on PATH: a usage error naming the option
run_bounded 60 env PATH=/nonexistent "$TRUSTMAP" scan "$WORK/repo" --helm=binary --format json --no-store
expect_exit 2
grep -q -- "--helm=binary" "$WORK/err" || fail "the usage error does not name --helm=binary"
# a helm that fails: an error at the chart, the scan goes on
printf '#!/bin/sh\necho "Error: chart requires kubeVersion" >&2\nexit 1\n' >"$WORK/bin/helm"
PATH="$WORK/bin:$PATH" run_bounded 60 "$TRUSTMAP" scan "$WORK/repo" --helm=binary --format json --no-store
expect_exit 0 1 3
grep -q "chart requires kubeVersion" "$WORK/out" || fail "helm's own error is not in the diagnostics"
exit 0
