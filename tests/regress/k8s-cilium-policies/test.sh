# CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy were not read: a namespace guarded only by
# Cilium was reported as open to every caller ("no default-deny NetworkPolicy", nothing isolated)
# and `query can` allowed what Cilium drops. Now they go into the NetworkPolicy table as Cilium
# enforces them: label source prefixes (k8s:) dropped, the pod namespace label read as a
# namespaceSelector, quoted ports, an empty rule admitting nothing, a port-only rule admitting every
# peer, a cluster-wide default deny isolating every namespace; an L7 HTTP rule admits only the
# requests it matches (no note: it is evaluated); a port out of range drops the policy, with a warning.
. "$(dirname "$0")/../lib.sh"
can() { # can SRC DST PORT EXPECT: the first word of the answer
  run_bounded 60 "$TRUSTMAP" query can "$1" "$2" --port "$3" "$CASE/in"
  head -c ${#4} "$WORK/out" | grep -qx "$4" || fail "$1 -> $2:$3: expected $4, got: $(head -3 "$WORK/out")"
}
can shop/web shop/api 80 ALLOW
grep -q "CiliumNetworkPolicy shop/api-ingress" "$WORK/out" || fail "the allow does not name the policy: $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can shop/web shop/api --port 80 --method POST --path /v1/orders "$CASE/in"
grep -q "^DENY (403)" "$WORK/out" || fail "POST past the L7 rule (GET /v1/.*): $(head -3 "$WORK/out")"
can monitoring/scraper shop/api 9090 ALLOW
can monitoring/scraper shop/api 80 DENY
can ops/batch shop/api 80 DENY
can shop/web monitoring/scraper 8080 DENY
grep -q "CiliumClusterwideNetworkPolicy default-deny" "$WORK/out" || fail "the deny does not name the cluster-wide policy: $(head -3 "$WORK/out")"
can shop/web ops/batch 7000 ALLOW
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
rules = {f["rule"] for f in d["findings"]}
assert "TM-MESH-006" not in rules, "default deny not seen: " + str([f["title"] for f in d["findings"] if f["rule"] == "TM-MESH-006"])
nodes = {n["id"]: n for n in d["model"]["nodes"]}
for w in ("service:shop/api", "service:shop/web", "service:ops/batch", "service:monitoring/scraper"):
    assert nodes[w].get("ingress_isolated") is True, (w, nodes[w].get("ingress_isolated"))
kinds = {(p["kind"], p["namespace"], p["name"]) for p in d["policies"]}
assert ("CiliumClusterwideNetworkPolicy", "*", "default-deny") in kinds, kinds
assert ("CiliumNetworkPolicy", "shop", "api-ingress") in kinds, kinds
assert not any(p["name"] == "broken" for p in d["policies"]), kinds
msgs = [(x["severity"], x["line"], x["message"]) for x in d["diagnostics"] if x["path"] == "policies.yaml"]
assert not any("L7 rules" in m for s, l, m in msgs), msgs
assert any(s == "warning" and l == 40 and "port must be a number" in m for s, l, m in msgs), msgs
PY
exit 0
