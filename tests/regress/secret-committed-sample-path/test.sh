# TM-SEC-003 (a Secret's value committed) was high for a Secret in a documentation sample
# (docs/samples/), while the same value in an example configuration file is TM-SEC-006 medium: in a
# well-run operator repository the one high finding was its documentation. A Secret in a
# development, test or sample manifest is now medium and says so; one in a deployment stays high.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(sys.argv[1]), "TM-SEC-003", key="node")
sample, real = rows["secret:k8s:samples/ledger-superuser"], rows["secret:k8s:ledger/ledger-db"]
assert sample[0] == "medium" and "sample manifest" in sample[1], rows
assert real[0] == "high" and "sample" not in real[1], rows
PY
