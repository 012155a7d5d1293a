# A Gateway API HTTPRoute (gateway.networking.k8s.io) whose parentRefs name a Linkerd Server was not
# read as Linkerd's: an AuthorizationPolicy targeting it was widened to every Server of the namespace
# (a probe route opened the database's Server to everyone), with a note claiming the route was not
# scanned, and no route's matches were evaluated (a request no route takes was 200, Linkerd answers
# 404). Now both kinds of route (and policy.linkerd.io's) attach to their Server: an authorization of
# a route admits the requests that route takes on that Server, a Server with routes answers 404 to
# the rest, and an authorization of a route the files do not hold is read wider and the verdict's
# step says so.
. "$(dirname "$0")/../lib.sh"
q() { # source destination [args]: allowed, outcome, deciding policy
  "$TRUSTMAP" query can "$@" "$CASE/in" --no-store --no-cache --format json 2>/dev/null |
    python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["allowed"], v["outcome"], (v.get("decided_by") or {}).get("policy"))'
}
expect_verdict() { # expected source destination [args]
  local want="$1"; shift
  got=$(q "$@")
  [ "$got" = "$want" ] || fail "$*: '$got', expected '$want'"
}
# the probe route's authorization opens the probe route of authors-svc, not ledger's Server
expect_verdict "False rejected Server books/ledger-pg" books/kubelet-probe books/ledger:5432 --tcp
expect_verdict "True 200 AuthorizationPolicy books/authors-probe" books/kubelet-probe books/authors --path /ping
# another route of the same Server: its own authorization (webapp only)
expect_verdict "False 403 Server books/authors-svc" books/kubelet-probe books/authors --path /authors/1
expect_verdict "True 200 AuthorizationPolicy books/authors-get" books/webapp books/authors --path /authors/1
# no route takes it: 404 (a method the route does not match, a path beside every route)
expect_verdict "False 404 Server books/authors-svc" books/webapp books/authors --path /authors/1 --method DELETE
expect_verdict "False 404 Server books/authors-svc" books/webapp books/authors --path /admin
# policy.linkerd.io's route behaves the same: whole path segments
expect_verdict "True 200 AuthorizationPolicy store/shelf-read" books/webapp store/shelf --path /books/7
expect_verdict "False 404 Server store/shelf-http" books/webapp store/shelf --path /bookshelf
# an authorization of a route the files do not hold: read as its namespace's, and the step says so
run_bounded 60 "$TRUSTMAP" query can books/kubelet-probe store/shelf --path /books/7 "$CASE/in" --no-store --no-cache
expect_exit 0
grep -q "AuthorizationPolicy store/shelf-admin" "$WORK/out" || fail "shelf-admin: $(head -3 "$WORK/out")"
grep -q "route shelf-admin, which is not in the scanned files: read as authorizing every Server of namespace store" "$WORK/out" ||
  fail "the widening is not in the steps: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
msgs = [m["message"] for m in d["diagnostics"]]
assert not any("authors-probe" in m or "authors-get" in m or "shelf-read" in m for m in msgs), msgs
assert any("targets HTTPRoute shelf-admin, which is not in the scanned files" in m for m in msgs), msgs
PY
exit 0
