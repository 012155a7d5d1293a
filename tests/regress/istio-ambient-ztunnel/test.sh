# Istio's ambient mode (istio.io/dataplane-mode: ambient on a namespace or pod) was not recognised:
# the query said "no sidecar ... istio policy is not enforced there" and allowed a call an L4
# AuthorizationPolicy refuses. Now ztunnel stands before an ambient pod: a mesh client's identity is
# known and the policies selecting the pod are enforced on L4 attributes, as Istio converts them for
# ztunnel: an ALLOW rule with HTTP attributes is dropped (fail closed), a DENY rule is enforced
# without them. A pod labelled istio.io/dataplane-mode: none opts out; a sidecar wins over ambient.
. "$(dirname "$0")/../lib.sh"
q() { run_bounded 60 "$TRUSTMAP" query can "$@" "$CASE/in" --no-cache; }
q batch api --tcp
head -c 4 "$WORK/out" | grep -q DENY || fail "an L4 allow policy at ztunnel did not refuse batch: $(head -3 "$WORK/out")"
grep -q "api-from-frontend" "$WORK/out" || fail "the refusal is not the policy's: $(head -3 "$WORK/out")"
grep -q "ambient mode" "$WORK/out" || fail "the step does not say the pod is in ambient mode"
q frontend api --tcp
head -c 5 "$WORK/out" | grep -q ALLOW || fail "the allowed principal was refused: $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query who-can-call api --tcp "$CASE/in" --no-cache
grep -q "shop/frontend" "$WORK/out" || fail "who-can-call lost frontend: $(cat "$WORK/out")"
! grep -q "shop/batch" "$WORK/out" || fail "who-can-call lists batch: $(cat "$WORK/out")"
# an HTTP method in an ALLOW rule: ztunnel drops the rule, nothing is allowed
q frontend reports --method GET
head -c 4 "$WORK/out" | grep -q DENY || fail "an allow rule with a method matched at ztunnel: $(head -3 "$WORK/out")"
grep -q "fails closed" "$WORK/out" || fail "the reason (the rule dropped) is not said: $(head -3 "$WORK/out")"
# an HTTP method in a DENY rule: enforced without it, so GET is refused too; other callers pass
q batch ledger --method GET
head -c 4 "$WORK/out" | grep -q DENY || fail "a deny rule was not enforced without its method: $(head -3 "$WORK/out")"
q frontend ledger --method DELETE
head -c 5 "$WORK/out" | grep -q ALLOW || fail "the deny rule's principal was dropped too: $(head -3 "$WORK/out")"
# the pod opts out of ambient mode: nothing enforces its policy
q batch legacy --tcp
head -c 5 "$WORK/out" | grep -q ALLOW || fail "an opted-out pod was taken as ambient: $(head -3 "$WORK/out")"
grep -q "dataplane-mode: none" "$WORK/out" || fail "the opt-out is not said: $(head -3 "$WORK/out")"
# both labels: the sidecar reads the method
q batch web/site --method DELETE
head -c 10 "$WORK/out" | grep -q "DENY (403)" || fail "the sidecar did not win over ambient: $(head -3 "$WORK/out")"
q batch web/site --method GET
head -c 5 "$WORK/out" | grep -q ALLOW || fail "GET refused at the sidecar: $(head -3 "$WORK/out")"
exit 0
