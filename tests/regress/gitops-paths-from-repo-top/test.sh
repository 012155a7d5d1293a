# GitOps objects name their paths from the repository's top (path: deploy/apps/web). Scanning the
# deploy/ directory of the repository, as teams do, trustmap looked for deploy/apps/web under
# deploy/ and delivered nothing: every object sat in "default". Now the root's place in its git
# work tree (found by the .git above it) is taken off such paths, for Applications,
# ApplicationSets' directory globs and parameters alike; and a diff --base of that directory
# reads the base the same way (no change, so no review finding). A sample kept as a repository of
# its own (samples/demo, whose Application says path: app) has its paths read from its directory,
# and the note says so.
. "$(dirname "$0")/../lib.sh"
command -v git >/dev/null || { echo "git is not installed: skipped" >&2; exit 77; }
mkdir -p "$WORK/repo"
cp -r "$CASE/in" "$WORK/repo/deploy"
git -C "$WORK/repo" init -q && git -C "$WORK/repo" add -A &&
  git -C "$WORK/repo" -c user.email=t@example.com -c user.name=t commit -qm base || fail "git setup"
run_bounded 60 "$TRUSTMAP" scan "$WORK/repo/deploy" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "paths from the repository's top (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
svc = sorted(n["id"] for n in j["model"]["nodes"] if n["kind"] == "service")
if svc != ["service:demo/demo", "service:jobs/batch", "service:shop/web"]:
    bad.append("services: %s" % svc)
notes = sorted(d["message"] for d in j["diagnostics"] if "Argo CD" in d["message"])
want = ["the Argo CD Application demo delivers samples/demo/app into namespace demo: 1 object written without a namespace placed there (its paths read from samples/demo: the repository it names is taken to start there)",
        "the Argo CD Application gen-batch delivers jobs/batch into namespace jobs: 1 object written without a namespace placed there",
        "the Argo CD Application web delivers apps/web into namespace shop: 1 object written without a namespace placed there",
        "the Argo CD ApplicationSet all generates 1 Application from its Git directory generator"]
if notes != want:
    bad.append("notes: %s" % notes)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
cd "$WORK/repo/deploy" || fail "cd"
run_bounded 60 "$TRUSTMAP" diff --base HEAD . --format json --no-store --no-cache
expect_exit 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(1 if d["findings_new"] or d["findings_resolved"] else 0)' "$WORK/out" \
  || fail "diff --base of the same commit found changes: the base read its GitOps paths otherwise"
