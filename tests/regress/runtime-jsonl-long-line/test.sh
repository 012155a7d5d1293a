# A JSON Lines export whose first or second line was over 64 KiB was lost entirely: the probe
# refused the long line, so the file was parsed as one JSON document ("end of file expected").
# The capture here is padded in WORK: line 1 by 2 MiB (longer than a read chunk), line 2 by
# 100 KiB; it must be streamed and model the same calls as the plain capture.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/long/runtime"
cp "$CASE/system/k8s.yaml" "$WORK/long/"
python3 - "$CASE/system/runtime/capture.jsonl" "$WORK/long/runtime/capture.jsonl" <<'PY'
import json, sys
out, n = [], 0
for l in open(sys.argv[1]).read().splitlines():
    if l.strip() and n < 2:  # the first two non-blank lines, the ones the probe reads
        d = json.loads(l)
        d["flow"]["Summary"] = "x" * ((2 << 20) if n == 0 else (100 << 10))
        l, n = json.dumps(d, separators=(",", ":")), n + 1
    out.append(l)
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$CASE/system"
expect_exit 0
cp "$WORK/out" "$WORK/plain.json"
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$WORK/long"
expect_exit 0
python3 - "$WORK/plain.json" "$WORK/out" <<'PY' || fail "see above"
import json, sys
def calls(p):
    d = json.load(open(p))
    errs = [(x["line"], x["message"]) for x in d["diagnostics"] if x["severity"] == "error"]
    assert errs == [(5, "missing comma in flow mapping")], f"{p}: {errs}"  # the capture's own
    return sorted((e["from"], e["to"], e.get("observed_calls")) for e in d["model"]["edges"]
                  if e["kind"] == "calls" and "observed" in e)
plain, long = calls(sys.argv[1]), calls(sys.argv[2])
assert plain, "the plain capture models no call"
assert long == plain, f"padded capture: {long}\nplain: {plain}"
PY
