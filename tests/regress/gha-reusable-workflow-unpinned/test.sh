# A job-level `uses: owner/repo/.github/workflows/x.yml@REF` (a reusable workflow of another
# repository) on a moving ref was never checked for pinning, though it runs as the job; handed
# secrets (`secrets: inherit`) it is the graver case. slsa-github-generator's workflows refuse a SHA.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "TM-CICD-002"]
reuse = [x for x in f if x["path"][0] == "pipeline:.github/workflows/reuse.yml"]
assert reuse and reuse[0]["severity"] == "high", f
assert "someorg/shared-workflows/.github/workflows/deploy.yml@main" in reuse[0]["title"], reuse[0]["title"]
nodes = {n["id"]: n for n in d["model"]["nodes"]}
un = nodes["pipeline:.github/workflows/pinned.yml"].get("unpinned_actions", [])
# a tag without secrets is the habit (medium); slsa-github-generator must be called by its tag
assert un == ["someorg/shared-workflows/.github/workflows/lint.yml@v2"], un
PY
exit 0
