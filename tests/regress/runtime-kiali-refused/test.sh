# A Kiali edge whose every response was a refusal (frontend -> cart, only ever 403) was modelled as a
# successful observed call (an undeclared call, or a "denied but observed" one though the denial held),
# and a service node in namespace "unknown" named by a host (api.stripe.com: egress outside the
# registry) was dropped as "outside the mesh" instead of becoming the external host.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$CASE/system"
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls" and "observed" in e}
assert ("service:web/frontend", "service:web/cart") not in calls, f"a refused edge became a call: {sorted(calls)}"
assert ("service:web/frontend", "service:web/backend") in calls, f"calls: {sorted(calls)}"
assert ("service:web/backend", "external:api.stripe.com") in calls, f"the egress was dropped: {sorted(calls)}"
note = [x["message"] for x in d["diagnostics"] if x["message"].startswith("runtime map:")]
assert note and note[0].startswith("runtime map: 2 calls observed"), f"note: {note}"
assert "1 edge only ever refused" in note[0], f"note: {note}"
drift = {(f["rule"], f["title"]) for f in d["findings"] if f["rule"].startswith("TM-DRIFT")}
assert not [t for r, t in drift if "cart" in t], f"drift findings on the refused edge: {drift}"
assert [t for r, t in drift if r == "TM-DRIFT-004" and "api.stripe.com" in t], f"no unlisted egress: {drift}"
PY
