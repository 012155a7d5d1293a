#!/usr/bin/env bash
# Where the register lives (docs/store.md): outside the work tree by default, in the tree only when
# asked (--store tree, TRUSTMAP_STORE=tree) and then with a .gitignore, an existing in-tree register
# used in place; .git and .trustmap are never inputs nor skipped files, so a second scan of a
# repository reports exactly what the first did.
# usage: adoption_store.sh TRUSTMAP SOURCE_DIR
set -u
tm=$(realpath "$1"); src=$(realpath "$2")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*" >&2; fail=$((fail + 1)); }
expect() { # expect NAME WANT GOT
  if [ "$2" = "$3" ]; then ok; else bad "$1: expected $2, got $3"; cat "$tmp/err" >&2 2>/dev/null; fi
}
skipped() { python3 -c 'import json,sys; print(" ".join(s["path"] for s in json.load(open(sys.argv[1]))["skipped"]))' "$1"; }

unset TRUSTMAP_STORE TRUSTMAP_ROOT
export TRUSTMAP_NOW=2026-11-01 NO_COLOR=1
export XDG_STATE_HOME="$tmp/state"

# a repository with commits, as a user's would be
repo="$tmp/repo"; mkdir -p "$repo"; cp -r "$src/examples/shop/." "$repo/"; rm -rf "$repo/.trustmap"
git -C "$repo" init -q && git -C "$repo" add -A && git -C "$repo" -c user.name=t -c user.email=t@t commit -qm init \
  || { echo "cannot make a git repository" >&2; exit 1; }

# 1. the default register: $XDG_STATE_HOME/trustmap/<root key>.db, nothing written in the tree
"$tm" scan "$repo" --format json -o "$tmp/first.json" 2>"$tmp/err"; expect "first scan" 0 $?
[ -e "$repo/.trustmap" ] && bad "the default register was written into the tree" || ok
n=$(ls "$XDG_STATE_HOME"/trustmap/*.db 2>/dev/null | wc -l); expect "one register in \$XDG_STATE_HOME/trustmap" 1 "$n"
expect "git status is clean after a scan" "" "$(git -C "$repo" status --porcelain)"
"$tm" scan "$repo" --format json -o "$tmp/second.json" 2>"$tmp/err"; expect "second scan" 0 $?
expect ".git and .trustmap are not skipped files" "" "$(skipped "$tmp/second.json")"
"$tm" findings "$repo" --format json >"$tmp/out" 2>"$tmp/err"; expect "findings reads the default register" 0 $?
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if len(r["findings"]) > 10 else 1)' "$tmp/out" \
  && ok || bad "findings lists the runs' findings"
python3 - "$tmp/first.json" "$tmp/second.json" <<'PY' && ok || bad "the two scans' reports differ (besides decisions)"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for r in (a, b):
    r.pop("generated", None)
sys.exit(0 if a["skipped"] == b["skipped"] and a["summary"] == b["summary"] else 1)
PY

# 2. HOME without XDG_STATE_HOME (CI runners): ~/.local/state/trustmap
(
  unset XDG_STATE_HOME; export HOME="$tmp/home"; mkdir -p "$HOME"
  "$tm" scan "$repo" -o /dev/null 2>"$tmp/err" && ls "$HOME"/.local/state/trustmap/*.db >/dev/null 2>&1
) && ok || bad "without XDG_STATE_HOME the register is under \$HOME/.local/state/trustmap"
# a relative XDG_STATE_HOME is ignored (the XDG spec): $HOME's again
(
  export XDG_STATE_HOME=relative HOME="$tmp/home2"; mkdir -p "$HOME"; cd "$tmp"
  "$tm" scan "$repo" -o /dev/null 2>"$tmp/err" && ls "$HOME"/.local/state/trustmap/*.db >/dev/null 2>&1 && [ ! -e "$tmp/relative" ]
) && ok || bad "a relative XDG_STATE_HOME is ignored"
# neither: the scan goes on without recording and says so; the register's readers exit 4
(
  unset XDG_STATE_HOME HOME
  "$tm" scan "$repo" -o /dev/null 2>"$tmp/err"; rc=$?
  [ $rc = 0 ] && grep -q "not recording this run" "$tmp/err"
) && ok || bad "without HOME and XDG_STATE_HOME scan goes on and says it is not recording"
(
  unset XDG_STATE_HOME HOME
  "$tm" findings "$repo" >/dev/null 2>"$tmp/err"; [ $? = 4 ]
) && ok || bad "without HOME and XDG_STATE_HOME findings exits 4"

# 3. two roots never share a register file; the file is named after the root key
other="$tmp/other"; mkdir -p "$other"; cp "$src/examples/shop/k8s/orders.yaml" "$other/"
"$tm" scan "$other" -o /dev/null 2>"$tmp/err"; expect "scan of another root" 0 $?
n=$(ls "$XDG_STATE_HOME"/trustmap/*.db | wc -l); expect "one register per root" 2 "$n"
ls "$XDG_STATE_HOME"/trustmap/ | grep -q '^tmp.*_other-[0-9a-f]\{16\}\.db$\|other-[0-9a-f]\{16\}\.db$' && ok \
  || bad "register file named after the root key: $(ls "$XDG_STATE_HOME"/trustmap/)"
TRUSTMAP_ROOT="https://user:secret@git.example.com/acme/shop.git#deploy" "$tm" scan "$other" -o /dev/null 2>"$tmp/err"
ls "$XDG_STATE_HOME"/trustmap/ | grep -q secret && bad "a credential in the root key reached a file name" || ok

# 4. in the tree when asked: --store tree and TRUSTMAP_STORE=tree, with a .gitignore that keeps git clean
"$tm" scan "$repo" --store tree -o /dev/null 2>"$tmp/err"; expect "scan --store tree" 0 $?
[ -f "$repo/.trustmap/trustmap.db" ] && ok || bad "--store tree writes .trustmap/trustmap.db"
grep -qx '\*' "$repo/.trustmap/.gitignore" && ok || bad ".trustmap/.gitignore ignores everything in it"
expect "git status is clean with an in-tree register" "" "$(git -C "$repo" status --porcelain)"
"$tm" scan "$repo" --store tree --format json -o "$tmp/tree.json" 2>"$tmp/err"; expect "second in-tree scan" 0 $?
expect "the in-tree register is not a skipped file" "" "$(skipped "$tmp/tree.json")"
"$tm" findings "$repo" --format md >"$tmp/out" 2>"$tmp/err"; expect "findings with an in-tree register" 0 $?
# 5. an existing .trustmap/trustmap.db (0.1.0's default) is used in place when no store is named
grep -q 'from `.*\.trustmap/trustmap.db`' "$tmp/out" && ok || bad "an existing in-tree register is used in place: $(sed -n 3p "$tmp/out")"
TRUSTMAP_STORE=tree "$tm" history "$repo" --format json >"$tmp/out" 2>"$tmp/err"; expect "history --store tree" 0 $?
python3 -c 'import json,sys; sys.exit(0 if len(json.load(open(sys.argv[1]))["runs"]) == 2 else 1)' "$tmp/out" \
  && ok || bad "the in-tree register has its two runs"

# 6. a .git file (a worktree, a submodule) is passed over too
wt="$tmp/wt"; mkdir -p "$wt"; cp "$src/examples/shop/k8s/orders.yaml" "$wt/"; echo "gitdir: /nowhere" >"$wt/.git"
"$tm" scan "$wt" --no-store --format json -o "$tmp/wt.json" 2>"$tmp/err"; expect "scan with a .git file" 0 $?
expect "a .git file is not a skipped file" "" "$(skipped "$tmp/wt.json")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
