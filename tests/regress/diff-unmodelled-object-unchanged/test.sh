# A change to a Service in a file that also holds a PriorityClass listed the file under "changed, not
# modelled: review by hand ... PriorityClass", though the PriorityClass was as before: every diff of
# an upstream install file (its CRDs, a PriorityClass) asked for a review by hand. Only the kinds
# whose objects differ are listed now; a change to the PriorityClass itself still is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "an unchanged PriorityClass listed (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
if j.get("not_reviewed"):
    sys.exit("not_reviewed: %s" % j["not_reviewed"])
if not any(f["rule"] == "TM-MESH-004" for f in j["findings_new"]):
    sys.exit("the LoadBalancer was not reviewed: %s" % [f["title"] for f in j["findings_new"]])
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head2" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "a changed PriorityClass not listed (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
n = j.get("not_reviewed") or []
if len(n) != 1 or "PriorityClass" not in n[0]["message"] or n[0]["path"] != "app.yaml":
    sys.exit("not_reviewed: %s" % n)
PY
exit 0
