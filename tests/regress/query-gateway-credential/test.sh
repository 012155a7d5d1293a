# `query can internet meta --path /pg/tables` answered ALLOW (200), "decided by defaults", for a Kong
# route that runs key-auth (supabase's pg-meta admin API): the route's own credential check was not
# asked. A request without a token is refused at the gateway, 401, naming the plugin and its line;
# with --token valid it passes the check.
. "$(dirname "$0")/../lib.sh"
in="$(dirname "$0")/in"
run_bounded 60 "$TRUSTMAP" query can internet meta "$in" --path /pg/tables --no-cache
expect_exit 1
grep -q '^DENY (401)' "$WORK/out" || { cat "$WORK/out" >&2; fail "no token: not refused at the gateway"; }
grep -q 'gateway-authentication deny.*kong plugin key-auth at volumes/api/kong.yml:' "$WORK/out" || { cat "$WORK/out" >&2; fail "the step does not name the check"; }
run_bounded 60 "$TRUSTMAP" query can internet meta "$in" --path /pg/tables --token valid --no-cache
expect_exit 0
grep -q '^ALLOW (200)' "$WORK/out" || { cat "$WORK/out" >&2; fail "a valid token: not allowed"; }
# a second way in that checks nothing (nginx in front of the same service) is the way a request
# without a token takes: allowed
run_bounded 60 "$TRUSTMAP" query can internet meta "$(dirname "$0")/open" --path /pg/tables --no-cache
expect_exit 0
grep -q '^ALLOW (200).*via gateway:nginx' "$WORK/out" || { cat "$WORK/out" >&2; fail "the unchecked route was not taken"; }
exit 0
