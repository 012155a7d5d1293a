# bank-of-anthos: TM-SEC-002 said its jwt-key Secret "is used by 6 workloads", though five of them
# mount the public key only (items:), which every verifier is meant to hold. A mount of public
# material only is not a use of the secret; a Secret two workloads mount whole still is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
sec = json.dumps([f for f in d["findings"] if f["rule"] == "TM-SEC-002"])
assert "secret:k8s:bank/db-login is used by 2 workloads" in sec, sec
assert "jwt-key" not in sec, sec
PY
