# A pull_request_target job that runs the pull request's code was graded critical because another
# job of the workflow held a secret and a write token; jobs run on runners of their own, so only what
# the checking-out job holds (and what the workflow gives every job) counts. Another job's secrets
# are named only when that job restores a cache or artifact the untrusted code can write.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = {x["path"][0]: x for x in d["findings"] if x["rule"] == "TM-CICD-001"}
split = f["pipeline:.github/workflows/split.yml"]
assert split["severity"] == "high" and "in reach" not in split["title"], split["title"]
cached = f["pipeline:.github/workflows/cached.yml"]
assert cached["severity"] == "high", cached
assert "job publish (secret NPM_TOKEN) restores a cache" in cached["title"], cached["title"]
held = f["pipeline:.github/workflows/held.yml"]
assert held["severity"] == "critical" and "job test: secret CODECOV_TOKEN" in held["title"], held["title"]
PY
exit 0
