# Envoy's downstream TLS was one flag per file: a gateway with a plaintext listener beside a TLS one
# (the envoy front-proxy, single-page-app and tls-sni sandboxes) said `tls: true` of every route,
# the plaintext ones too. TLS is per filter chain: the gateway's `tls` still says some chain
# terminates it, each chain that does not is a `plaintext_listeners` fact (at the chain), and the
# routes edge of every backend such a chain reaches names it (measured by
# tests/e2e/gateway_truth.py, tls).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "envoy tls per listener (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
gw = "gateway:envoy:envoy.yaml"
node = next(n for n in j["model"]["nodes"] if n["id"] == gw)
edges = {e["to"].rsplit("/", 1)[-1]: e for e in j["model"]["edges"] if e["from"] == gw and e["kind"] == "routes"}
bad = []
if node.get("tls") is not True:
    bad.append("gateway tls: %s, expected true (the 8443 chains)" % node.get("tls"))
facts = sorted((f["value"], f["at"]["line"]) for f in node.get("facts", []) if f["key"] == "plaintext_listeners")
want = [("http port 8080", 7), ("https port 8443 (legacy.example.com)", 59)]
if facts != want:
    bad.append("plaintext_listeners facts: %s, expected %s" % (facts, want))
# shop: through 8080 in plaintext and 8443 with TLS; admin: TLS only; legacy: TLS passed through,
# not terminated by the gateway
for svc, plain in (("shop", ["http port 8080"]), ("admin", None), ("legacy", ["https port 8443 (legacy.example.com)"])):
    got = edges.get(svc, {}).get("plaintext_listeners")
    if svc not in edges or got != plain:
        bad.append("%s plaintext_listeners: %s, expected %s" % (svc, got, plain))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
