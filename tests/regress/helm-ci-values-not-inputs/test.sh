# A chart's CI scenarios (ci/*-values.yaml) are no inputs: listed as skipped ("in CHART, not read by
# it"), yet their parse was reported: "go template, not rendered: render it" warnings on values files
# holding strings the chart renders through tpl, and "empty file" notes (prometheus-community: 7).
# The chart itself still renders and is modelled.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "a chart's ci/ values reported as inputs (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
ci = [(d["path"], d["message"]) for d in j["diagnostics"] if "/ci/" in d["path"]]
if ci:
    bad.append("diagnostics on ci/ values: %s" % ci)
skipped = sorted(s["path"] for s in j["skipped"] if "/ci/" in s["path"])
if skipped != ["agent/ci/default-values.yaml", "agent/ci/templated-values.yaml"]:
    bad.append("ci/ values should be listed as skipped: %s" % skipped)
if not any(n["kind"] == "service" and n["id"].endswith("-agent") for n in j["model"]["nodes"]):
    bad.append("the chart's Deployment is not modelled: %s" % [n["id"] for n in j["model"]["nodes"]])
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
