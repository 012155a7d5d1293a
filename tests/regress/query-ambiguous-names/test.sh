# Two compose projects each with a service db: `query who-can-call db` said "name the namespace
# (ns/name)", and a user writing a/db got nothing, since a compose project's namespace is
# compose:<project>. The message lists the names to write.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query who-can-call db "$CASE/in" --no-cache
expect_exit 2
grep -q "'db' is ambiguous: name the namespace (compose:a/db, compose:b/db)" "$WORK/err" || { cat "$WORK/err" >&2; fail "the names to write are not listed"; }
run_bounded 60 "$TRUSTMAP" query who-can-call compose:a/db "$CASE/in" --no-cache
expect_exit 0
grep -q "can call service:compose:a/db" "$WORK/out" || { cat "$WORK/out" >&2; fail "compose:a/db did not resolve"; }
exit 0
