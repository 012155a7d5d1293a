#!/usr/bin/env bash
# A repository whose Flux HelmReleases all deploy charts of Helm repositories: the summary said
# "nothing reachable from the internet" and "findings none", as if the system were modelled and safe,
# and the password written in a release's inline values was not judged. The summary now says the
# model is incomplete (two deployments not among the inputs) and the committed password is TM-SEC-001.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format summary --no-store --no-cache
expect_exit 0 1
grep -q "incomplete   2 deployments the inputs name are not among them" "$WORK/out" || { cat "$WORK/out"; fail "no incomplete line"; }
grep -q "nothing reachable from the internet in what is modelled" "$WORK/out" || { cat "$WORK/out"; fail "exposure not qualified"; }
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
s1 = [f for f in d["findings"] if f["rule"] == "TM-SEC-001"]
assert len(s1) == 1 and "auth.postgresPassword" in s1[0]["title"], s1
assert s1[0]["evidence"][0]["path"] == "release.yaml", s1[0]["evidence"]
assert d["summary"]["incomplete"] == {"files_in_error": 0, "not_fetched": 2}, d["summary"]
PY
exit 0
