# A Knative DomainMapping was only counted as "not modelled": a cluster-local Knative Service mapped
# to a public domain was reported unreachable from the internet, though Knative publishes a mapped
# Service on the mapping's domain whatever its visibility. The mapping is now a gateway reached from
# the internet, routing its domain to the Service (TLS when spec.tls names a secret); a spec.ref that
# is no map is a warning, a Service not in the files a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/ok" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = {(x["from"], x["to"]): x for x in d["model"]["edges"]}
n = {x["id"]: x for x in d["model"]["nodes"]}
gw = "gateway:knativedomainmapping:default/hello.example.org"
assert ("entrypoint:internet", gw) in e, sorted(e)
assert e[("entrypoint:internet", gw)]["evidence"][0]["line"] == 14
r = e[(gw, "service:default/hello")]
assert r["hosts"] == ["hello.example.org"], r
assert n[gw]["tls"] is True and "hello-example-org-tls" in json.dumps(n[gw]), n[gw]
assert ("entrypoint:internet", "gateway:knativedomainmapping:default/old.example.org") in e
assert "tls" not in n["gateway:knativedomainmapping:default/old.example.org"]
assert ("entrypoint:internet", "gateway:default/hello") not in e, "the Service itself stays cluster-local"
assert d["exposure"]["service:default/hello"] == "internet", d["exposure"]
PY
run_bounded 60 "$TRUSTMAP" query can internet default/hello "$CASE/in/ok" --no-store --no-cache
expect_exit 0
grep -q "^ALLOW" "$WORK/out" || fail "internet -> default/hello through the mapping: $(head -3 "$WORK/out")"
grep -q "hello.example.org" "$WORK/out" || fail "the verdict names the mapping"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/bad" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
msgs = [(x["severity"], x["line"], x["message"]) for x in d["diagnostics"]]
assert any(s == "warning" and l == 7 and "spec.ref is no map" in m for s, l, m in msgs), msgs
assert any(s == "note" and "nowhere" in m for s, l, m in msgs), msgs
assert not [x for x in d["model"]["nodes"] if x["kind"] == "gateway"], "nothing mapped"
PY
exit 0
