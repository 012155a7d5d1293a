# Grafana's admin password set to the image's own default ("admin", here through a ${VAR:-admin}
# default with no .env) was no TM-MESH-012, though it is the same login everyone knows as leaving
# it unset (high); and a Grafana whose env_file the scan lacks was reported high as a fact, where a
# setting the files do not decide is an assumption, a level lower. A password the deployment
# supplies is no finding.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012", key="node")
assert rows["service:compose:default/boards"][0] == "high", rows
team = rows["service:compose:default/boards-team"]
assert team[0] == "medium" and "assumed" in team[1] and "team.grafana.env" in team[1], rows
assert "service:compose:default/boards-own" not in rows, rows
PY
