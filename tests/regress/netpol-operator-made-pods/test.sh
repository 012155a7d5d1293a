# A NetworkPolicy selecting the pods an operator makes from an object the scan does not model (a
# Prometheus's podMetadata labels) was noted as "a typo or a renamed app", pointing the reader at a
# mistake that is not there. The note now names operator- or controller-made pods first.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
notes = [g["message"] for g in d["diagnostics"] if "prometheus-cluster" in g["message"] and "selects no scanned pod" in g["message"]]
assert len(notes) == 1 and "operator or controller" in notes[0], notes
PY
