#!/usr/bin/env bash
# Helm trial: a trustmap.yaml system whose include matched nothing (a typo, "wbe/*") gave an empty
# model, no diagnostic, and a passing gate; and a system taking a chart at the scan root by "." or
# "Chart.yaml" rendered the chart with its values but held the render in no system (empty too),
# while the note on missing values suggested include: ["/*"], which matches nothing there.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/deploy" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
w = [x for x in d["diagnostics"] if x["severity"] == "warning" and 'include "wbe/*" matches no input' in x["message"]]
assert len(w) == 1 and w[0]["path"] == "trustmap.yaml", d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/rootchart" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
svc = [n["id"] for n in d["model"]["nodes"] if n["kind"] == "service"]
assert svc, "the chart at the root is in no system"
assert d["exposure"].get(svc[0]) == "internet", d["exposure"]  # prod-values.yaml: a LoadBalancer
PY
exit 0
