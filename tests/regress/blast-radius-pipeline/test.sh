# The Blast radius walked from workloads only: a pipeline that deploys to the cluster and assumes a
# cloud role reached a crown jewel through what it deploys, and neither the section nor a finding's
# priority said so (`paths --from ci` did, for workflows outsiders can trigger, and this one they
# cannot). Each pipeline that deploys or assumes something now has its own walk: a row in the
# section, an entry in blast_radius[], `paths --from pipeline:FILE`, and the weight of the findings
# about it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
b = {e["workload"]: e for e in d["blast_radius"]}
p = b.get("pipeline:.github/workflows/release.yml")
assert p, sorted(b)
assert "secret:k8s:prod/db" in p["secrets"] and "service:prod/api" in p["services"], p
assert "identity:aws:release" in p["identities"] and "secret:k8s:prod/db" in p["crown_jewels"], p
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
grep -q '^| `pipeline:.github/workflows/release.yml` | 1 | 1 |' "$WORK/out" \
  || { sed -n '/### Blast radius/,/###/p' "$WORK/out" >&2; fail "no Blast radius row for the pipeline"; }
run_bounded 60 "$TRUSTMAP" paths "$CASE/in" --no-cache --from pipeline:.github/workflows/release.yml
expect_exit 0 1
grep -q "secret:k8s:prod/db" "$WORK/out" || { cat "$WORK/out" >&2; fail "paths --from pipeline: does not reach the secret"; }
run_bounded 60 "$TRUSTMAP" paths "$CASE/in" --no-cache --from pipeline:nope.yml
expect_exit 2
grep -q "no such pipeline" "$WORK/err" || { cat "$WORK/err" >&2; fail "an unknown pipeline is not said"; }
exit 0
