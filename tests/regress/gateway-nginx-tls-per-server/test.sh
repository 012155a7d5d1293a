# nginx TLS was one flag per file (any `listen ... ssl` or ssl_certificate made every route TLS), so
# a plaintext server proxying directly beside a TLS one (`listen 8080 http2`: HTTP/2 in the clear;
# `listen 80` and `listen 443 ssl` in one server; no listen at all: *:80) said tls: true of its
# routes too; and a port-80 server that only redirects (`return 301 https://...`) routed its
# location, which nginx never reaches (the server-level return answers first). TLS is per server
# block: the gateway's tls says some server takes it (`ssl`, `quic`, legacy `ssl on`), each server
# that also listens without it is a plaintext_listeners fact at its first such listen, and the
# routes edge of every backend it reaches names it; a server answering with a return routes nothing.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "nginx tls per server (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
gw = "gateway:nginx:nginx.conf"
node = next(n for n in j["model"]["nodes"] if n["id"] == gw)
edges = {e["to"].rsplit("/", 1)[-1]: e for e in j["model"]["edges"] if e["from"] == gw and e["kind"] == "routes"}
bad = []
if node.get("tls") is not True:
    bad.append("gateway tls: %s, expected true" % node.get("tls"))
admin, reports = "listen 8080 (admin.example.com)", "listen 80 (reports.example.com)"
status = "default listen *:80 (status.example.com)"
facts = sorted((f["value"], f["at"]["line"], f["at"]["column"]) for f in node.get("facts", [])
               if f["key"] == "plaintext_listeners")
if facts != sorted([(admin, 38, 9), (reports, 70, 9), (status, 80, 5)]):
    bad.append("plaintext_listeners facts: %s" % facts)
want = {"shop": None, "api": None, "legacy": None, "admin": [admin], "reports": [reports], "status": [status]}
for svc, plain in sorted(want.items()):
    got = edges.get(svc, {}).get("plaintext_listeners")
    if svc not in edges or got != plain:
        bad.append("%s plaintext_listeners: %s, expected %s" % (svc, got, plain))
# the redirecting server's location is never reached: shop is routed by /shop/ alone, behind auth_request
shop = edges.get("shop", {})
if shop.get("paths") != ["/shop/"] or shop.get("authn") != "unknown":
    bad.append("shop edge: paths %s authn %s, expected ['/shop/'] behind auth_request" % (shop.get("paths"), shop.get("authn")))
cites = [f["rule"] for f in j["findings"] if "compose:default/shop/" in f.get("subject", "") and f["rule"] == "TM-API-001"]
if cites:
    bad.append("TM-API-001 on shop's operations, routed only through the redirecting server: %s" % cites)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
