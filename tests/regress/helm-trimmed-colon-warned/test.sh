# A chart whose templates trim the space after a colon (`name: {{- include ... -}}`) renders, as Helm
# does, a container without a name and a label key with the value glued on
# ("app.kubernetes.io/name:store-dbtier"): objects the API server refuses. They were modelled without a
# word (the container shown as '?'); each is now a warning at its template line.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/chart" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
w = [(x["path"], x["line"], x["message"]) for x in d["diagnostics"] if x["severity"] == "warning"]
assert any(p == "templates/db.yaml" and l == 15 and "not a valid label key" in m and "app.kubernetes.io/name:store-dbtier" in m for p, l, m in w), w
assert any(p == "templates/db.yaml" and l == 19 and "container" in m and "refuses" in m for p, l, m in w), w
PY
exit 0
