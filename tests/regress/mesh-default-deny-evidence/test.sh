# TM-MESH-006 (a namespace without a default-deny NetworkPolicy) cited the first file in its
# workload's evidence, sorted by name: the Dockerfile the workload is built from (its FROM line),
# so SARIF and pull-request annotations landed on a Dockerfile. It now cites the workload's manifest.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "TM-MESH-006"]
assert len(f) == 1, [x["rule"] for x in d["findings"]]
ev = f[0]["evidence"]
assert ev and ev[0]["path"] == "billing/deploy/billing.yaml", ev
PY
