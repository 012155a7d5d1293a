#!/usr/bin/env bash
# The pre-commit hooks of .pre-commit-hooks.yaml, run as pre-commit runs them (the entry split like a
# shell command, in the repository's top directory, trustmap on PATH): the review works in a
# repository with no commits, gates on new findings only (a repository with findings can still
# commit an unrelated change), and leaves no register and no file behind.
# usage: adoption_precommit.sh TRUSTMAP SOURCE_DIR
set -u
tm=$(realpath "$1"); src=$(realpath "$2")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
expect() { if [ "$2" = "$3" ]; then pass=$((pass + 1)); else echo "FAIL: $1: expected $2, got $3" >&2; cat "$tmp/err" >&2; fail=$((fail + 1)); fi; }
unset TRUSTMAP_STORE
export XDG_STATE_HOME="$tmp/state" NO_COLOR=1 PATH="$(dirname "$tm"):$PATH"
[ "$(basename "$tm")" = trustmap ] || { echo "the binary must be named trustmap" >&2; exit 1; }

entry() { # entry HOOK_ID: the hook's entry as a bash array literal (shlex, as pre-commit splits it)
  python3 - "$src/.pre-commit-hooks.yaml" "$1" <<'PY'
import re, shlex, sys
text = open(sys.argv[1]).read()
try:
    import yaml
    hooks = {h["id"]: h for h in yaml.safe_load(text)}
    e = hooks[sys.argv[2]]["entry"]
except ImportError:  # this file's shape: '- id:' then 'entry: >-' and its indented lines
    block = text.split("- id: " + sys.argv[2] + "\n", 1)[1].split("\n- id:", 1)[0]
    m = re.search(r"^  entry: (>-\n((?:    .*\n)+)|(.*))", block, re.M)
    e = " ".join(l.strip() for l in m.group(2).splitlines()) if m.group(2) else m.group(3)
print(" ".join(shlex.quote(w) for w in shlex.split(e)))
PY
}
review=$(entry trustmap-review); gate=$(entry trustmap-gate)
[ -n "$review" ] && [ -n "$gate" ] || { echo "cannot read the hooks" >&2; exit 1; }
run_hook() { (cd "$repo" && eval "$1") >"$tmp/out" 2>"$tmp/err"; echo $?; }

repo="$tmp/repo"; mkdir -p "$repo"; git -C "$repo" init -q
gitc() { git -C "$repo" -c user.name=t -c user.email=t@t "$@"; }
# 1. no commits yet: the review runs (the tree against an empty one): everything is new
cp "$src/examples/shop/k8s/catalog.yaml" "$repo/"
gitc add -A
expect "review before the first commit (catalog has high findings: all new)" 1 "$(run_hook "$review")"
grep -q "Review depth" "$tmp/out"; expect "the review is printed" 0 $?
grep -qi "unknown revision\|not a git\|HEAD" "$tmp/err" && { echo "FAIL: error about HEAD: $(cat "$tmp/err")" >&2; fail=$((fail + 1)); }
# a first commit with no high finding passes
rm "$repo/catalog.yaml"; printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: quiet\n' >"$repo/ns.yaml"; gitc add -A
expect "review before the first commit, nothing at or above high" 0 "$(run_hook "$review")"
gitc commit -qm first
# 2. a repository that already has findings: an unrelated change commits, a new high finding does not
cp "$src/examples/shop/k8s/catalog.yaml" "$repo/"; gitc add -A; gitc commit -qm "existing findings" --no-verify
sed -i 's/^  name: quiet$/  name: quieter/' "$repo/ns.yaml"; gitc add -A
expect "review: a change with no new finding passes although findings exist" 0 "$(run_hook "$review")"
expect "gate (opt-in): existing findings fail it" 1 "$(run_hook "$gate")"
cp "$src/examples/shop/k8s/admin.yaml" "$repo/"; gitc add -A
expect "review: a change adding a high finding fails" 1 "$(run_hook "$review")"
grep -q "TM-" "$tmp/out"; expect "the review names the new findings" 0 $?
# 3. nothing left behind: no register anywhere, no file in the tree, no temporary directory (the
#    parse cache under the state directory is the one thing kept: it makes the next commit faster)
[ -e "$repo/.trustmap" ] || [ -n "$(find "$XDG_STATE_HOME" -name '*.db' 2>/dev/null)" ]; expect "no register written" 1 $?
[ -z "$(find "$XDG_STATE_HOME" -mindepth 1 -maxdepth 2 ! -path "*/trustmap" ! -path "*/trustmap/cache" 2>/dev/null)" ]
expect "only the parse cache kept in the state directory" 0 $?
expect "git sees only the staged change" "A  admin.yaml M  ns.yaml" "$(git -C "$repo" status --porcelain | tr '\n' ' ' | sed 's/ $//')"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
