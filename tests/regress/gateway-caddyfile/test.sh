#!/usr/bin/env bash
# n8n-hosting trial: a Caddyfile (docker-caddy's reverse proxy) was not read at all: no gateway, the
# published caddy service "exposed directly", its routes unknown. Caddyfiles are now read as
# gateways: sites, reverse_proxy (in handle, handle_path and snippets), named path matchers,
# basic_auth and forward_auth, {$VAR:default} upstreams, and Caddy's automatic HTTPS.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/tls" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
gw = "gateway:caddy:caddy_config/Caddyfile"
r = {e["to"].split("/")[-1]: e for e in d["model"]["edges"] if e["kind"] == "routes" and e["from"] == gw}
assert set(r) == {"admin", "api", "n8n"}, r
assert r["admin"]["authn"] == "basic" and r["admin"]["paths"] == ["/admin/"], r["admin"]
assert r["api"]["authn"] == "none" and "/v1/" in r["api"]["paths"], r["api"]
assert r["api"]["plaintext_listeners"] == ["http://legacy.example.com"], r["api"]
assert r["n8n"]["hosts"] == ["n8n.example.com"], r["n8n"]
g = [n for n in d["model"]["nodes"] if n["id"] == gw][0]
assert g["tls"] is True, g
assert d["exposure"]["service:compose:default/n8n"] == "internet", d["exposure"]
assert not [f for f in d["findings"] if f["rule"] == "TM-MESH-013"], "TLS by Caddy's automatic HTTPS"
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/plain" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
m = [f for f in d["findings"] if f["rule"] == "TM-MESH-013"]
assert len(m) == 1 and "gateway:caddy:Caddyfile" in m[0]["title"], [f["title"] for f in d["findings"]]
PY
# review: snippets' handle blocks and nested imports route; a `not path` or two-path matcher takes
# any path (never the path it excludes); a `route` block runs its checks in order (basic_auth after
# reverse_proxy protects nothing); host:80 is Caddy's HTTP port, plaintext
run_bounded 60 "$TRUSTMAP" scan "$CASE/review" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
r = {e["to"].split("/")[-1]: e for e in d["model"]["edges"] if e["kind"] == "routes" and e["from"].startswith("gateway:caddy:")}
assert r["api"]["paths"] == ["/api/"] and r["shop"]["paths"] == ["/shop/"], r
assert r["web"]["paths"] == ["/"] and r["other"]["paths"] == ["/"], r
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/route-order" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
r = {e["to"].split("/")[-1]: e for e in d["model"]["edges"] if e["kind"] == "routes" and e["from"].startswith("gateway:caddy:")}
assert r["api"]["authn"] == "none", r["api"]
assert r["web"].get("plaintext_listeners") == ["b.example.com:80"], r["web"]
PY
# a snippet importing another 20 times, 20 deep: bounded (cycles skipped, 4096 expansions a file)
run_bounded 20 "$TRUSTMAP" scan "$CASE/bomb" --format summary --no-store --no-cache
expect_exit 0 1
run_bounded 60 "$TRUSTMAP" scan "$CASE/broken" --format summary --no-store --no-cache
grep -q "Caddyfile:4:11: error: Caddyfile: unterminated quoted string" "$WORK/err" || { cat "$WORK/err"; fail "no positioned error"; }
exit 0
