# A $ref to a FIFO inside the root blocked forever in tm_file_load (fopen of a FIFO): the walk
# checked file types but $ref resolution did not. Every input is now opened with
# O_NOFOLLOW|O_NONBLOCK and checked with fstat. A link to a file inside the root is followed
# through its checked target; one leaving the root is refused.
. "$(dirname "$0")/../lib.sh"
root="$WORK/root"; mkdir -p "$root"
cp "$CASE/api.yaml" "$CASE/common.yaml" "$root/"
mkfifo "$root/fifo.yaml" 2>/dev/null || { echo "skip: mkfifo unavailable" >&2; exit 77; }
ln -s common.yaml "$root/inside-link.yaml"
printf 'components: {responses: {ok: {description: secret}}}\n' > "$WORK/outside.yaml"
ln -s ../outside.yaml "$root/outside-link.yaml"
run_bounded 20 "$TRUSTMAP" scan "$root" --format json
expect_exit 0 1 3
grep -q 'fifo.yaml' "$WORK/err" || fail "the FIFO was not diagnosed"
grep -q 'leaves the scanned root' "$WORK/err" || fail "the outside link was not refused"
grep -q '"secret"' "$WORK/out" && fail "content from outside the root was read"
exit 0
