# Self-calls and over-long names were counted in the runtime file's note but dropped from the model
# silently: a Kiali backend -> backend edge made the note say "3 calls observed" while the model held
# 2, and an OpenTelemetry sample whose client label was 5 MB dropped the call but left an orphan
# service:observed:orders node behind (the callee's end was made before the caller's was refused).
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/sys/runtime"
cp -r "$CASE/system/." "$WORK/sys/"
python3 - "$WORK/sys/runtime/servicegraph.prom" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("# TYPE traces_service_graph_request_total counter\n")
    f.write('traces_service_graph_request_total{client="frontend",server="cart"} 4\n')
    f.write('traces_service_graph_request_total{client="' + "x" * (5 << 20) + '",server="orders"} 7\n')
PY
run_bounded 120 "$TRUSTMAP" scan --no-store -f json "$WORK/sys"
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"] for n in d["model"]["nodes"]}
assert not [n for n in nodes if "orders" in n or n.startswith("service:observed:x")], \
    f"a refused call left its ends behind: {sorted(n for n in nodes if 'observed' in n)}"
notes = {x["path"]: x["message"] for x in d["diagnostics"] if x["message"].startswith("runtime map:")}
kiali = notes.get("runtime/graph.json", "")
assert kiali.startswith("runtime map: 2 calls observed"), f"kiali note: {kiali!r}"
assert "not modelled: 1 self-call, 0 calls naming an end over" in kiali, f"kiali note: {kiali!r}"
prom = notes.get("runtime/servicegraph.prom", "")
assert prom.startswith("runtime map: 4 calls observed"), f"prom note: {prom[:300]!r}"
assert "not modelled: 0 self-calls, 7 calls naming an end over the 512-byte limit" in prom, f"prom note: {prom[:300]!r}"
calls = [e for e in d["model"]["edges"] if e["kind"] == "calls" and "observed" in e]
assert not [e for e in calls if e["from"] == e["to"]], "a self-call edge"
kiali_calls = [e for e in calls if any(o.startswith("runtime/graph.json:") for o in e["observed"])]
assert len(kiali_calls) == 2, f"kiali calls in the model: {[(e['from'], e['to']) for e in kiali_calls]}"
PY
