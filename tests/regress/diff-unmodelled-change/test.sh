# A diff whose change was to what trustmap does not model said "Review depth: none - the change
# leaves the model as it was": here a Flux HelmRelease of a remote chart (not fetched) given a
# LoadBalancer, and a custom resource of a kind no reader models. The review now lists each such
# changed place ("Changed, not modelled: review by hand", JSON not_reviewed) and is a lightning
# one. A change to files that are no input (a README) still leaves it at none, the list empty.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --no-store --no-cache --format json
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["review_depth"] == "lightning", d["review_depth"]
nr = d.get("not_reviewed")
assert nr is not None and len(nr) == 2, nr
by = {x["path"]: x for x in nr}
assert by["release.yaml"]["line"] > 1 and "wiki" in by["release.yaml"]["message"], nr
assert by["release.yaml"]["message"].startswith("changed: "), nr
assert "Widget" in by["widget.yaml"]["message"] and "not modelled" in by["widget.yaml"]["message"], nr
assert "app.yaml" not in by, nr
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --no-store --no-cache
expect_exit 0
grep -q "Review depth: lightning" "$WORK/out" || fail "md: no lightning depth"
grep -q "Changed, not modelled: review by hand" "$WORK/out" || fail "md: no section"
run_bounded 60 "$TRUSTMAP" diff "$CASE/same/base" "$CASE/same/head" --no-store --no-cache --format json
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["review_depth"] == "none", d["review_depth"]
assert d["not_reviewed"] == [], d["not_reviewed"]
PY
exit 0
