# `diff --base REV` planned the revision's files (read from git) unlike a walk of the work tree:
# manifests under vendor/ and a CMake build directory were inputs, and a README quoting an nginx
# server block was gateway configuration, on the base side only, so an unchanged tree reviewed as
# services and a gateway "removed".
. "$(dirname "$0")/../lib.sh"
command -v git >/dev/null || { echo "regress: git not found: skipped" >&2; exit 77; }
cp -r "$CASE/tree" "$WORK/repo" && cd "$WORK/repo" || fail "cannot copy the tree"
git init -q . && git add -A && git -c user.email=ci@example.com -c user.name=ci commit -qm tree || fail "git commit"
run_bounded 60 "$TRUSTMAP" diff --base HEAD . --format json --no-store --no-cache
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "the unchanged tree has changes (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
if j["changes"] or j["findings_new"] or j["findings_resolved"]:
    sys.exit("changes %s" % [(c["trigger"], c["node"]) for c in j["changes"]])
PY
exit 0
