# Objects no ingester models (a ServiceMonitor, an EnvoyFilter) were passed over
# in silence when their file held something modelled: the JSON said "documents 5, modelled 1" and
# nothing said which. Now each input lists them by kind (inputs[].not_modelled) and the Markdown
# coverage counts them over the scan, most first; a chart's or kustomization's on the file that
# stands for the render.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
inp = {i["path"]: i for i in d["inputs"]}
nm = inp["app.yaml"].get("not_modelled")
# (a cert-manager Certificate is modelled: the TLS Secret it fills)
assert nm == [{"kind": "ServiceMonitor", "count": 2}, {"kind": "EnvoyFilter", "count": 1}], nm
k = inp["overlay/kustomization.yaml"]  # a render's objects, on the file that stands for it
assert (k["documents"], k["modelled"], k.get("not_modelled")) == (2, 1, [{"kind": "PodMonitor", "count": 1}]), k
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
grep -q '^- Objects not modelled: 4, of 3 kinds: `ServiceMonitor` 2, `EnvoyFilter` 1, `PodMonitor` 1 ' "$WORK/out" \
  || fail "coverage line: $(grep -n 'not modelled' "$WORK/out")"
exit 0
