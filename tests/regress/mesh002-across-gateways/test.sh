# Two Ingresses to one backend, a Kong key-auth plugin on one of them
# (Kong/kubernetes-ingress-controller examples/ingress-broken-plugin-fallback.yaml): `query` was right
# path by path (401 for /private, 200 for /public), but TM-MESH-002 compared the paths of one
# gateway's edge only, and each Ingress is a gateway of its own: nothing was reported. The paths of
# every gateway routing to a backend are now compared.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "TM-MESH-002"]
assert len(f) == 1, [x["title"] for x in d["findings"]]
t = f[0]["title"]
assert "/private" in t and "/public" in t and "gateway:demo/open" in t, t
PY
exit 0
