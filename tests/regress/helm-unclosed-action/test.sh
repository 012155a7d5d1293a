# A chart template with an unclosed {{ (`name: {{ .Release.Name` then a newline) was reported where
# Go's parser stumbles, the next line ("template function \"spec\" is not supported"), with nothing
# pointing back at the action left open. Errors read inside an action opened on an earlier line now
# name that line.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1 3
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
m = [(x["line"], x["message"]) for x in d["diagnostics"] if x["path"] == "chart/templates/dep.yaml"]
assert m and all("(in the action opened at line 4)" in t for l, t in m if l == 5), m
PY
exit 0
