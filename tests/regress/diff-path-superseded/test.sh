# Publishing a database's port made a direct route to it (TM-MESH-007), and the review listed the attack
# path "from the internet through <its caller> to <the database>" (TM-PATH-001) under "Resolved
# findings", though the route through the caller is still there: only the shorter one now takes
# precedence (supabase's logflare calling db, db's 5432 then published). A gone finding whose path
# still stands and that a new finding covers is now superseded, said by which, and not resolved; one
# whose path went with the change (the caller no longer calls the database) is resolved as before.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --format md --no-store --no-cache
expect_exit 0 1
md="$WORK/out"
grep -q '^2 changes, 2 new findings, 0 resolved, 1 superseded (not resolved)\. ' "$md" || fail "the count: $(grep -m1 changes "$md")"
grep -q '^#### Superseded, not resolved$' "$md" || fail "no superseded section: $(cat "$md")"
grep -q '^- `TM-PATH-001` from the internet through service:compose:analytics/dashboard to datastore:compose:analytics/warehouse (confidential data), 3 hops — superseded by `TM-MESH-007` (high), new: service:compose:analytics/warehouse: data store (postgres) published beyond the host (5432-&gt;5432)\. What it was about still stands: not a fix$' "$md" \
  || fail "the superseded line: $(grep -F 'TM-PATH-001' "$md")"
if grep -q 'Resolved findings' "$md"; then fail "listed as resolved: $(cat "$md")"; fi
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "json (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [f for f in d["findings_resolved"] if f["rule"] == "TM-PATH-001"], d["findings_resolved"]
sup = d["findings_superseded"]
new = {f["fingerprint"]: f["rule"] for f in d["findings_new"]}
assert len(sup) == 1 and sup[0]["finding"]["rule"] == "TM-PATH-001" and new[sup[0]["by"]] == "TM-MESH-007", (sup, new)
assert sup[0]["resolved"] == sup[0]["finding"]["fingerprint"], sup
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --format html --no-store --no-cache
expect_exit 0 1
grep -q '<section id="superseded"><h2>Superseded, not resolved</h2>' "$WORK/out" || fail "html: no superseded section"
grep -q '<li><b>1</b> superseded</li>' "$WORK/out" || fail "html: the figure"
# another store already published: TM-MESH-007 is a fold the warehouse joins (supabase's supavisor
# beside db), and its new member supersedes the path all the same
run_bounded 60 "$TRUSTMAP" diff "$CASE/fold-base" "$CASE/fold-head" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "json, a fold supersedes (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [f for f in d["findings_resolved"] if f["rule"] == "TM-PATH-001"], d["findings_resolved"]
sup = d["findings_superseded"]
new = {f["fingerprint"]: f for f in d["findings_new"]}
assert len(sup) == 1 and sup[0]["finding"]["rule"] == "TM-PATH-001", sup
by = new[sup[0]["by"]]
assert by["rule"] == "TM-MESH-007" and [a["node"] for a in by["affected"] if a.get("change") == "new"] == \
    ["service:compose:analytics/warehouse"], by
PY
# the dashboard no longer calls the warehouse: the path went with the change, resolved
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/cut" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "json, the path cut (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert [f for f in d["findings_resolved"] if f["rule"] == "TM-PATH-001"], d["findings_resolved"]
assert d["findings_superseded"] == [], d["findings_superseded"]
PY
exit 0
