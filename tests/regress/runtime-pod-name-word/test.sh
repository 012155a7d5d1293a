# A pod's last name segment of 6-10 letters or digits was stripped as a ReplicaSet hash even when it
# is a word: the DaemonSet pod otelcol-hubble-collector-2t8z4 became "otelcol-hubble", a workload
# nobody declared (a false undocumented call). Generated segments use an alphabet without vowels.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$CASE/system"
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"}
assert ("service:obs/web", "service:obs/otelcol-hubble-collector") in calls, f"calls: {sorted(calls)}"
ids = [n["id"] for n in d["model"]["nodes"]]
assert not [i for i in ids if "otelcol-hubble" in i and "collector" not in i], f"a stripped name: {ids}"
PY
