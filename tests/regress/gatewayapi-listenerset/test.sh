# A Gateway API ListenerSet (gateway.networking.k8s.io/v1) was not modelled: routes attached to it
# (parentRefs kind ListenerSet) reached nothing, so the Services they publish looked internal. Now a
# ListenerSet the parent Gateway's allowedListeners admits adds its listeners to the Gateway (facts,
# hosts, TLS), and its routes are accepted by its listeners and routed from the Gateway; one the
# Gateway does not admit (allowedListeners is None unless written) serves nothing, with a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"]): e for e in d["model"]["edges"]}
gw = nodes["gateway:gwapi:infra/parent-gateway"]
assert "team-1/team-1-listeners/first HTTPS:443 first.foo.com" in gw["listeners"] and gw["tls"] is True, gw
assert not any("second" in l for l in gw["listeners"]), gw
e = edges[("gateway:gwapi:infra/parent-gateway", "service:team-1/orders")]
assert e["paths"] == ["/orders*"] and e["hosts"] == ["first.foo.com"], e
assert d["exposure"]["service:team-1/orders"] == "internet", d["exposure"]
assert d["exposure"]["service:team-2/billing"] != "internet", d["exposure"]
msgs = [m["message"] for m in d["diagnostics"]]
assert any("does not allow ListenerSet 'team-2-listeners' from namespace team-2" in m for m in msgs), msgs
assert any("HTTPRoute 'billing' attaches to ListenerSet team-2/team-2-listeners, which no scanned Gateway serves" in m for m in msgs), msgs
assert not any(nm["kind"] == "ListenerSet" for i in d["inputs"] for nm in i.get("not_modelled", [])), "still not modelled"
PY
exit 0
