# A kustomization that inflates a chart of the tree (helmCharts, kustomize build --enable-helm,
# as Argo CD's kustomize builds run it): trustmap noted "helm charts are not inflated" and rendered
# the chart alone with its defaults instead, as "release-name" in "default", without the
# kustomization's namespace, labels or the values it passes. Now the chart is inflated with the
# kustomization's values (valuesFile, then valuesInline over it) as its release into its
# namespace, the kustomization's transformers apply to the result, the chart is not rendered
# again on its own, and a chart not in the tree (kustomize would pull it) is a warning.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "kustomize helmCharts (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
if [s["name"] for s in j["systems"]] != ["in"]:
    bad.append("systems: %s (the chart is rendered again on its own?)" % [s["name"] for s in j["systems"]])
nodes = {n["id"]: n for n in j["model"]["nodes"] if n["kind"] in ("service", "gateway")}
if set(nodes) != {"service:storefront/shop-web", "gateway:storefront/shop-web"}:
    bad.append("nodes: %s" % sorted(nodes))
web = nodes.get("service:storefront/shop-web", {})
if web.get("replicas") != 3 or "team=shop" not in (web.get("labels") or []):
    bad.append("valuesFile or commonLabels not applied: %s %s" % (web.get("replicas"), web.get("labels")))
rules = {(f["rule"], f["subject"]) for f in j["findings"]}
if ("TM-CTR-001", "service:storefront/shop-web") not in rules:
    bad.append("valuesInline (privileged) not applied: %s" % sorted(rules))
warn = [d for d in j["diagnostics"] if "chart missing is not in charts" in d["message"]]
if len(warn) != 1 or warn[0]["severity"] != "warning" or warn[0]["line"] != 12:
    bad.append("the chart not in the tree: %s" % warn)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
