# The parse cache gave up for good on damage a crash or a stray command leaves behind, though a
# damaged cache should cost no more than a miss (src/parse/cache.c):
#  - a secret cut short (zero bytes: it was linked into place without fsync, then the machine
#    crashed) made every later open fail: "cannot use the parse cache ... parsing every file";
#  - an empty directory where an entry belongs was never replaced (a rename cannot replace a
#    directory), so that file missed on every run.
. "$(dirname "$0")/../lib.sh"
cache="$WORK/cache"
scan() {
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --cache "$cache" --format json
  expect_exit 0 1
  if grep -q 'cannot use the parse cache' "$WORK/err"; then cat "$WORK/err" >&2; fail "$1: the cache was not used"; fi
}
entries() { find "$cache" -mindepth 2 -maxdepth 2 -type f -path "$cache/??/*" ! -name '*.*' | sort; }

scan "first run"
[ "$(stat -c %s "$cache/secret")" = 192 ] || fail "no 192-byte secret"
entries >"$WORK/old"
[ -s "$WORK/old" ] || fail "first run wrote no entry"
cp "$WORK/out" "$WORK/first.json"

: >"$cache/secret"
scan "secret emptied"
[ "$(stat -c %s "$cache/secret")" = 192 ] || fail "the emptied secret was not replaced"
[ "$(stat -c %a "$cache/secret")" = 600 ] || fail "the new secret is not mode 600"

# the entries written under the old secret are never read again: take one of the new ones
entry=$(entries | comm -13 "$WORK/old" - | head -1)
[ -n "$entry" ] || fail "no entry under the new secret"
rm "$entry" && mkdir "$entry"
scan "entry replaced by a directory"
scan "the run after"
[ -f "$entry" ] || fail "the directory in the entry's place is still there: $(ls -ld "$entry")"
cmp -s "$WORK/out" "$WORK/first.json" || fail "the report changed with the cache damaged"
exit 0
