# A compose file beside a chart whose template does not render: the compose project's report carried
# the chart's error (its "Incomplete" banner, "errors 1"), and the chart's notes, though the chart is
# the Kubernetes variant and no input of the project. A problem of a render or a file the Kubernetes
# variants share is now theirs alone.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE" --system docker-compose.yml --format json --no-store --no-cache
expect_exit 0 1 3
python3 - "$WORK/out" <<'PY' || fail "the chart's error in the compose project (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = [d for d in j["diagnostics"] if d["path"].startswith("chart/")]
if bad:
    sys.exit("the compose project's diagnostics: %s" % bad)
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE" --system chart --format json --no-store --no-cache
expect_exit 0 1 3
python3 - "$WORK/out" <<'PY' || fail "the chart's error lost (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
if not any(d["severity"] == "error" and d["path"] == "chart/templates/deployment.yaml" for d in j["diagnostics"]):
    sys.exit("the chart's diagnostics: %s" % j["diagnostics"])
PY
exit 0
