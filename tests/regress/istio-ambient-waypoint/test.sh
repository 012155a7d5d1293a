# An ambient waypoint (a Gateway API Gateway of class istio-waypoint, listener HBONE) was modelled as
# an internet-facing ingress gateway (an entry point, "assumed internet-facing", TM-MESH-013), and an
# AuthorizationPolicy attached by targetRefs to a Service that uses the waypoint was not enforced: the
# query allowed DELETE where the policy denies it. Now a waypoint (istio-waypoint, or an HBONE or
# istio.io/PROXY listener) is no entry point; a mesh client's call to a Service whose
# istio.io/use-waypoint (its own label, else its namespace's) names one goes through it, which
# enforces the policies attached to the Service or to itself, HTTP included; the pod's ztunnel then
# sees the waypoint's identity. A policy attached to a Service that uses no waypoint is enforced
# nowhere (said), and a client outside the mesh bypasses the waypoint (said).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
rules = [f["rule"] for f in d["findings"]]
assert "TM-MESH-013" not in rules, rules
edges = [(e["from"], e["to"]) for e in d["model"]["edges"]]
assert not [e for e in edges if e[0] == "entrypoint:internet"], edges
assert d["summary"]["entrypoints"] == 0, d["summary"]
m = [(x["severity"], x["message"]) for x in d["diagnostics"]]
assert any("orders-no-delete" in t and s == "warning" and "nothing enforces it" in t for s, t in m), m
assert any("api-no-delete" in t and "the waypoint it uses (waypoint" in t for s, t in m), m
assert any("pay/pay-waypoint is an ambient waypoint" in t for s, t in m), m
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
! grep -q "internet-facing\|reachable from the internet" "$WORK/out" || fail "a waypoint is still assumed internet-facing"
q() { run_bounded 60 "$TRUSTMAP" query can "$@" "$CASE/in" --no-cache; }
q batch api --method DELETE
head -c 10 "$WORK/out" | grep -q "DENY (403)" || fail "the waypoint's deny on DELETE did not apply: $(head -3 "$WORK/out")"
grep -q "api-no-delete" "$WORK/out" || fail "the refusal is not the attached policy's: $(head -3 "$WORK/out")"
q batch api --method GET
head -c 5 "$WORK/out" | grep -q ALLOW || fail "GET refused: $(head -3 "$WORK/out")"
# outside the mesh: straight to the pod, around the waypoint
q scraper api --method DELETE
head -c 5 "$WORK/out" | grep -q ALLOW || fail "a client outside the mesh went through the waypoint: $(head -3 "$WORK/out")"
grep -q "not through waypoint shop/waypoint" "$WORK/out" || fail "the bypass is not said: $(cat "$WORK/out")"
# the Service opts out of the namespace's waypoint: its attached policy is enforced nowhere, and said
q batch orders --method DELETE
head -c 5 "$WORK/out" | grep -q ALLOW || fail "a policy no waypoint enforces refused: $(head -3 "$WORK/out")"
grep -q "orders-no-delete is attached to service orders" "$WORK/out" || fail "not said: $(cat "$WORK/out")"
# behind the waypoint, the pod's ztunnel sees the waypoint's identity
q frontend ledger --tcp
head -c 4 "$WORK/out" | grep -q DENY || fail "ztunnel saw the client's identity behind the waypoint: $(head -3 "$WORK/out")"
grep -q "cluster.local/ns/shop/sa/waypoint" "$WORK/out" || fail "the waypoint's identity is not said: $(head -3 "$WORK/out")"
# a waypoint of another class, named by the Service's own label; a policy attached to the Gateway
q batch pay --method GET
head -c 5 "$WORK/out" | grep -q ALLOW || fail "GET refused at pay's waypoint: $(head -3 "$WORK/out")"
q batch pay --method POST
head -c 10 "$WORK/out" | grep -q "DENY (403)" || fail "the policy attached to the waypoint did not apply: $(head -3 "$WORK/out")"
exit 0
