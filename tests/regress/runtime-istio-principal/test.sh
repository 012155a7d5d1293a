# Istio's metrics name both ends by their principal too (spiffe://cluster.local/ns/NS/sa/SA), but a
# sample whose source_workload was "unknown" was passed over as "outside the mesh" whatever its
# source_principal said, and a destination_workload "unknown" became a host: a call from the
# workloads running as app/a to b, and b's call to a, were lost.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$CASE/system"
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"], e["to"]): e for e in d["model"]["edges"] if e["kind"] == "calls" and "observed" in e}
ab = calls.get(("service:app/a", "service:app/b"))
assert ab and ab["observed_calls"] == "12", f"a -> b by source_principal: {sorted(calls)}"
ba = calls.get(("service:app/b", "service:app/a"))
assert ba and ba["observed_calls"] == "5", f"b -> a by destination_principal: {sorted(calls)}"
assert ("service:observed:ops/sa:probe", "service:app/b") in calls, f"unmapped principal: {sorted(calls)}"
note = [x["message"] for x in d["diagnostics"] if x["message"].startswith("runtime map:")]
assert note and note[0].startswith("runtime map: 19 calls observed"), f"note: {note}"
assert "1 source outside the mesh (source_workload and source_principal unknown)" in note[0], f"note: {note}"
PY
