# `query` named the wrong Kong route: a 404 said the backend was routed "only for path /graphql/v1"
# when two routes reach it, and "decided by" cited the first route's path line (kong.yml:47,
# /auth/v1/verify) for a request /auth/v1/ took. Each route's own place is now kept with its check
# (route_checks), so the explanation names the route that matched, at its line, and a 404 lists
# every path routed to the backend.
. "$(dirname "$0")/../lib.sh"
q() { # q WANT TEXT ARGS...: the query's first line starts with WANT, and its output holds TEXT
  local want="$1" text="$2"; shift 2
  run_bounded 60 "$TRUSTMAP" query can internet "$@" "$CASE/in" --no-store --no-cache
  expect_exit 0 1
  head -1 "$WORK/out" | grep -q "^$want" || { cat "$WORK/out" >&2; fail "$*: expected $want"; }
  grep -qF -- "$text" "$WORK/out" || { cat "$WORK/out" >&2; fail "$*: expected '$text'"; }
}
q 'DENY (404)' 'only for host (any) and path /query/v1 or /records/v1/: no route matches' data/records --path /todos
q 'DENY (401)' 'decided by: gateway:kong:api/kong.yml  (api/kong.yml:34:13)' data/records --method POST --path /query/v1
q 'DENY (401)' 'decided by: gateway:kong:api/kong.yml  (api/kong.yml:16:13)' data/identity --path /id/v1/admin/users
q 'DENY (401)' 'by its route /id/v1/  (api/kong.yml:16:13)' data/identity --path /id/v1/admin/users
q 'ALLOW (200)' 'by its route /id/v1/confirm  (api/kong.yml:9:13)' data/identity --path /id/v1/confirm
q 'ALLOW (200)' 'by its route /records/v1/  (api/kong.yml:25:13)' data/records --path /records/v1/items --token valid
# the same in JSON: the deciding place is the route's
run_bounded 60 "$TRUSTMAP" query can internet data/identity --path /id/v1/admin/users --format json "$CASE/in" --no-store --no-cache
expect_exit 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
v = json.load(open(sys.argv[1]))
at = v["decided_by"]["at"]
assert at["line"] == 16 and at["path"] == "api/kong.yml", at
PY
exit 0
