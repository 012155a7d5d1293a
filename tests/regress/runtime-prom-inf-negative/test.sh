# Prometheus samples of +Inf and 1e400 were counted as 1e18 requests, and a negative timestamp was
# taken, stretching the file's window back to 1969. They are refused, the first with a positioned
# warning, and counted in the file's note; only the 12 requests of the good line remain.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$CASE/system"
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"], e["to"]): e for e in d["model"]["edges"] if e["kind"] == "calls" and "observed" in e}
counts = {k[1]: int(e.get("observed_calls", "0")) for k, e in calls.items()}
assert counts == {"service:books/reviews-v1": 12}, f"observed calls: {counts}"
diags = [x for x in d["diagnostics"] if "metrics.prom" in (x.get("path") or "")]
text = json.dumps(diags)
assert "1969" not in text and "1970" not in text, f"window from a negative timestamp: {text}"
warn = [x for x in diags if "not a finite number" in x["message"]]
assert warn and warn[0]["line"] == 4 and warn[0]["column"] > 200, f"no positioned warning: {diags}"
assert any("3 malformed sample line" in x["message"] for x in diags), f"note does not count them: {diags}"
PY
