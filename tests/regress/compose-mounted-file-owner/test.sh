# grafana/loki production/docker (trial AK): a Grafana data-source file bind-mounted into the
# Grafana service from ./config/datasources.yaml was tied to Grafana only by its directory's name,
# so from a directory named otherwise its calls (grafana -> prometheus, loki) were missing. A file a
# compose service mounts itself is that service's, wherever it sits.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"}
for to in ("victoria", "logstore"):
    assert ("service:compose:metrics/dashboards", "service:compose:metrics/" + to) in calls, sorted(calls)
PY
exit 0
