# Access policies of meshes not evaluated (trial U4): Consul's ServiceIntentions and Kuma's
# MeshTrafficPermission were "recognised, not modelled" in the coverage line only, while `query`
# allowed a call an explicit deny refuses ("decided by: defaults") and the Policies section said no
# mesh policy was in the inputs. Each is now recorded as not evaluated: a warning at the object,
# a row in Policies, UNKNOWN naming it for the calls it governs, and a changed policy in a review.
# Consul's connect-service-upstreams annotation is a call.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can shop/batch shop/api --tcp "$CASE/in/consul" --no-cache
grep -q "^UNKNOWN" "$WORK/out" && grep -q "Consul ServiceIntentions shop/api" "$WORK/out" \
  || { cat "$WORK/out" "$WORK/err" >&2; fail "the Consul intentions do not make the answer unknown"; }
run_bounded 60 "$TRUSTMAP" query can demo/client demo/kv --tcp "$CASE/in/kuma" --no-cache
grep -q "^UNKNOWN" "$WORK/out" && grep -q "Kuma MeshTrafficPermission demo/kv-only-app" "$WORK/out" \
  || { cat "$WORK/out" "$WORK/err" >&2; fail "the Kuma permission does not make the answer unknown"; }
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = [(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"]
assert ("service:shop/web", "service:shop/api") in calls, calls
warn = [x["message"] for x in d["diagnostics"] if "does not evaluate it" in x["message"]]
assert len(warn) == 2, d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/in" "$CASE/in2" --no-store --no-cache
grep -q "Consul ServiceIntentions shop/api changed" "$WORK/out" \
  || { cat "$WORK/out" >&2; fail "a change to the intentions is not a changed policy"; }
exit 0
