# istio's bookinfo: networking/bookinfo-gateway.yaml names no namespace and sits outside the
# kustomization that places the app in `bookinfo`. The scan put the Gateway and VirtualService in
# bookinfo (the one Namespace the files declare), so the internet route to productpage rests on that
# guess, and nothing said so (NetworkPolicies in the same place get a note). One note per file now.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
notes = [x for x in d["diagnostics"] if "names no namespace: taken to apply in 'bookinfo'" in x["message"]]
assert len(notes) == 1 and notes[0]["path"] == "networking/gateway.yaml", d["diagnostics"]
PY
exit 0
