# `query` compared compose networks only between projects: in one project every service could call
# every other, with the step "open to what shares a network with it" even when they shared none (a
# proxy on front-tier, a database on back-tier), and who-can-call listed the services of another
# variant of the project (alternative files that never run side by side).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can compose:default/proxy compose:default/database "$CASE/in/app" --no-cache
expect_exit 1
grep -q '^DENY (unreachable)' "$WORK/out" || fail "proxy -> database: $(head -1 "$WORK/out")"
grep -q 'join no network in common' "$WORK/out" || fail "the step does not name the networks"
run_bounded 60 "$TRUSTMAP" query can compose:default/api compose:default/database "$CASE/in/app" --no-cache
expect_exit 0
grep -q 'both join network default_back-tier' "$WORK/out" || fail "api -> database: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query who-can-call compose:default/database "$CASE/in/app" --no-cache
expect_exit 0
grep -q 'compose:default/api ' "$WORK/out" || fail "who-can-call misses api: $(cat "$WORK/out")"
if grep -q 'compose:default/proxy \|compose:default/worker ' "$WORK/out"; then fail "who-can-call lists a service on no shared network: $(cat "$WORK/out")"; fi
run_bounded 60 "$TRUSTMAP" query who-can-call 'compose:default[docker-stack]/payments' "$CASE/in/variants" --no-cache
expect_exit 0
if grep -q 'compose:default/web' "$WORK/out"; then fail "another variant's service is a caller: $(cat "$WORK/out")"; fi
grep -q 'compose:default\[docker-stack\]/web' "$WORK/out" || fail "its own variant's web is no caller: $(cat "$WORK/out")"
exit 0
