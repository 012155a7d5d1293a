# Port 50000 named IBM Db2 on its own (trial S2): Dapr's placement service and Jenkins' agent port
# were "data store (Db2) published beyond the host", high. Ports other software uses as much need
# the store's image; a published postgres still fires.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
text = json.dumps([f for f in d["findings"] if f["rule"] == "TM-MESH-007"])
assert "Db2" not in text and "placement" not in text and "jenkins" not in text, text
assert "compose:mesh007-shared-ports/db" in text or "/db" in text, text
PY
exit 0
