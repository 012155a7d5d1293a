# The walk read everything under the root: build output and generated bundles a repository's
# .gitignore leaves out were modelled as deployed, and there was no way to leave a directory out.
# Ignored files are never read (--no-gitignore reads them), --exclude GLOB leaves more out, and a root
# the repository itself ignores is read whole.
. "$(dirname "$0")/../lib.sh"
command -v git >/dev/null || { echo "skip: git not found" >&2; exit 77; }
repo="$WORK/repo"
mkdir -p "$repo/k8s" "$repo/generated" "$repo/legacy"
svc() { printf 'apiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: shop}\nspec: {type: %s, ports: [{port: 80}]}\n' "$1" "$2"; }
svc web ClusterIP >"$repo/k8s/web.yaml"
svc gen LoadBalancer >"$repo/generated/bundle.yaml"
svc dev NodePort >"$repo/k8s/dev.local.yaml"
svc old ClusterIP >"$repo/legacy/old.yaml"
printf 'generated/\n*.local.yaml\n' >"$repo/.gitignore"
git -C "$repo" init -q
inputs() { python3 -c 'import json,sys; print(" ".join(sorted(i["path"] for i in json.load(open(sys.argv[1]))["inputs"])))' "$WORK/out"; }

run_bounded 60 "$TRUSTMAP" scan "$repo" --format json --no-store
expect_exit 0 1
got=$(inputs)
[ "$got" = "k8s/web.yaml legacy/old.yaml" ] || fail ".gitignore not respected: inputs are $got"

run_bounded 60 "$TRUSTMAP" scan "$repo" --format json --no-store --no-gitignore
expect_exit 0 1
got=$(inputs)
[ "$got" = "generated/bundle.yaml k8s/dev.local.yaml k8s/web.yaml legacy/old.yaml" ] || fail "--no-gitignore: inputs are $got"

run_bounded 60 "$TRUSTMAP" scan "$repo" --format json --no-store --exclude 'legacy/' --exclude '*.yml'
expect_exit 0 1
got=$(inputs)
[ "$got" = "k8s/web.yaml" ] || fail "--exclude: inputs are $got"

# a root inside an ignored directory was named on purpose: read whole
run_bounded 60 "$TRUSTMAP" scan "$repo/generated" --format json --no-store
expect_exit 0 1
got=$(inputs)
[ "$got" = "bundle.yaml" ] || fail "ignored root: inputs are $got"

# libgit2 is started only where a .git is in the root or above it: a root below the top of the work
# tree, and a linked work tree (whose .git is a file), still follow the rules
run_bounded 60 "$TRUSTMAP" scan "$repo/k8s" --format json --no-store
expect_exit 0 1
got=$(inputs)
[ "$got" = "web.yaml" ] || fail "root below the work tree's top: inputs are $got"
git -C "$repo" add -A && git -C "$repo" -c user.name=t -c user.email=t@t commit -qm base
git -C "$repo" worktree add -q "$WORK/linked" 2>/dev/null || fail "git worktree add"
[ -f "$WORK/linked/.git" ] || fail "a linked work tree's .git is a file"
svc gen2 LoadBalancer >"$WORK/linked/generated.local.yaml"
run_bounded 60 "$TRUSTMAP" scan "$WORK/linked" --format json --no-store
expect_exit 0 1
got=$(inputs)
[ "$got" = "k8s/web.yaml legacy/old.yaml" ] || fail "linked work tree: inputs are $got"
# outside any work tree the certificate store libgit2 loads when started is never opened
plain=$(mktemp -d /tmp/trustmap-plain.XXXXXX) # $WORK may be inside this project's own work tree
trap 'rm -rf "$plain"' EXIT
if [ -e /tmp/.git ] || [ -e /.git ]; then
	echo "note: /tmp is in a git work tree, the check that libgit2 is not started is skipped" >&2
elif command -v strace >/dev/null; then
	svc web ClusterIP >"$plain/web.yaml"
	strace -f -e trace=openat -o "$WORK/strace" "$TRUSTMAP" scan "$plain" --format json --no-store -o /dev/null >/dev/null 2>&1
	grep -q 'web.yaml' "$WORK/strace" || fail "strace saw no read of the input"
	! grep -q 'ssl/certs\|ca-certificates' "$WORK/strace" || fail "libgit2 started outside a work tree"
else
	echo "note: strace not found, the check that libgit2 is not started is skipped" >&2
fi
exit 0
