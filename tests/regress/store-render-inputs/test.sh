# Recording a scan of rendered charts and kustomizations failed with "UNIQUE constraint failed:
# run_inputs.run_id, run_inputs.path": a rendered manifest was listed as read under the same path as
# the template (or kustomization file) it came from. Each file read is recorded once, and a change to
# a template changes what the register records for its chart.
. "$(dirname "$0")/../lib.sh"
cp -r "$CASE/../../../examples/variants" "$WORK/repo"
store="sqlite:$WORK/tm.db"
run_bounded 60 "$TRUSTMAP" scan "$WORK/repo" --store "$store" --format json
expect_exit 0 1
run_bounded 60 "$TRUSTMAP" scan "$WORK/repo" --store "$store" --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "a file is listed twice among the inputs"
import json, sys
paths = [i["path"] for i in json.load(open(sys.argv[1]))["inputs"]]
sys.exit(0 if len(paths) == len(set(paths)) else 1)
PY
exit 0
