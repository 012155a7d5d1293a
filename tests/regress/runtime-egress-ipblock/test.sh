# TM-DRIFT-004 knew only ServiceEntries: egress to 203.0.113.7 (api.example.com) that an egress
# NetworkPolicy lists by its ipBlock still fired as unlisted, and egress from a workload whose
# NetworkPolicies make its egress default-deny with no rule for the address did not say the policy
# should have stopped it (Hubble states the destination IP; the model did not keep it).
. "$(dirname "$0")/../lib.sh"
for variant in listed deny; do
  mkdir -p "$WORK/$variant"; cp -r "$CASE/system/." "$WORK/$variant/"; cp "$CASE/$variant.yaml" "$WORK/$variant/netpol.yaml"
done
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$WORK/listed"
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "listed: see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = [e for e in d["model"]["edges"] if e["kind"] == "calls" and e["to"] == "external:api.example.com"]
assert e and e[0].get("observed_addresses") == ["203.0.113.7"], f"edge: {e}"
f = [f["title"] for f in d["findings"] if f["rule"] == "TM-DRIFT-004"]
assert not f, f"an egress its NetworkPolicy's ipBlock lists: {f}"
PY
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$WORK/deny"
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "deny: see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "TM-DRIFT-004"]
assert len(f) == 1, f"TM-DRIFT-004: {[x['title'] for x in f]}"
t = f[0]["title"]
assert "NetworkPolicy app/a-egress (netpol.yaml:1)" in t and "should have stopped it" in t and "203.0.113.7" in t, t
assert "netpol.yaml" in json.dumps(f[0].get("evidence", f[0])), f"evidence: {f[0]}"
PY
