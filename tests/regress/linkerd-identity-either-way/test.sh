# A client whose namespace manifest is not scanned may or may not run Linkerd's proxy, and every
# verdict where a Server's only authorizations name identities was UNKNOWN ("the client's identity
# is not in the scanned files"), also when the client's service account is in the files and is not
# among them: meshed it has that identity, unmeshed none, and the Server's deny refuses it either
# way. Now that is DENY (403) and the step says why; where the answer does depend on the client
# being meshed (its identity is admitted, or the Server's accessPolicy admits meshed clients) it
# stays UNKNOWN.
. "$(dirname "$0")/../lib.sh"
q() { # source destination: allowed, outcome, deciding policy
  "$TRUSTMAP" query can "$1" "$2" "$CASE/in" --no-store --no-cache --format json 2>/dev/null |
    python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["allowed"], v["outcome"], (v.get("decided_by") or {}).get("policy"))'
}
expect_verdict() { # source destination expected
  got=$(q "$1" "$2")
  [ "$got" = "$3" ] || fail "$1 -> $2: '$got', expected '$3'"
}
# load-gen runs as ops/default, named by no authorization: refused meshed or not
expect_verdict ops/load-gen shop/orders:9090 "False 403 Server shop/orders-grpc"
# backup's identity is admitted if it is meshed: unknown
expect_verdict ops/backup shop/orders:9090 "False unknown Server shop/orders-grpc"
# an accessPolicy admitting every meshed client: whether load-gen is meshed decides
expect_verdict ops/load-gen shop/orders:9901 "False unknown Server shop/orders-admin"
expect_verdict shop/frontend shop/orders:9090 "True 200 ServerAuthorization shop/orders-grpc"
run_bounded 60 "$TRUSTMAP" query can ops/load-gen shop/orders:9090 "$CASE/in" --no-store --no-cache
expect_exit 1
grep -q "meshed or not, ops/default is not among the identities Server shop/orders-grpc admits" "$WORK/out" ||
  fail "no step says why: $(cat "$WORK/out")"
# who-can-call: load-gen is no longer among the sources it cannot decide
run_bounded 60 "$TRUSTMAP" query who-can-call shop/orders:9090 "$CASE/in" --no-store --no-cache --format json
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
undecided = json.dumps(d["callers_undecided"])
assert "load-gen" not in undecided, undecided
assert "backup" in undecided, undecided
PY
exit 0
