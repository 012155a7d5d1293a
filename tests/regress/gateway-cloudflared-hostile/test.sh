# cloudflared's configuration and command line are input like any other: odd shapes (an unknown
# scheme, an empty URL, a regex that does not compile, `originRequest` that is no mapping, a
# `sh -c` command line with empty flags) are warnings, notes or facts, never a crash; 40,000 rules
# and a command line of 5,000 words are read in bounded time (linear), the words past the limit
# said in a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "the odd configuration (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
g = {n["id"]: n for n in j["model"]["nodes"]}.get("gateway:cloudflared:config.yml", {})
bad = []
if g.get("hosted_by") != ["service:compose:default/cloudflared"]:
    bad.append("not hosted: %s" % g.get("hosted_by"))
for k in ("bastion", "socket_routes", "raw_tcp_routes", "warp_routing", "unresolved_upstreams"):
    if not g.get(k):
        bad.append("no %s fact" % k)
if not any(d["severity"] == "warning" and "ftp://app:21" in d["message"] for d in j["diagnostics"]):
    bad.append("the unknown scheme is not said")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
mkdir -p "$WORK/big" "$WORK/long"
python3 - "$WORK/big" <<'PY'
import sys, os
d = sys.argv[1]
with open(os.path.join(d, "config.yml"), "w") as f:
    f.write("tunnel: big\ningress:\n")
    for i in range(40000):
        f.write("  - hostname: h%d.example.org\n    path: ^/p%d\n    service: http://app:8080\n" % (i, i))
    f.write("  - service: http_status:404\n")
with open(os.path.join(d, "..", "long", "tunnel.yaml"), "w") as f:
    f.write("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cloudflared, namespace: edge}\nspec:\n"
            "  selector: {matchLabels: {app: cf}}\n  template:\n    metadata: {labels: {app: cf}}\n    spec:\n"
            "      containers:\n        - name: cloudflared\n          image: cloudflare/cloudflared:2024.12.2\n"
            "          args: [tunnel, run" + ", --x" * 5000 + "]\n")
with open(os.path.join(d, "docker-compose.yml"), "w") as f:
    f.write("services:\n  app:\n    image: ghcr.io/example/app:1.0\n  cloudflared:\n"
            "    image: cloudflare/cloudflared:2024.12.2\n    command: tunnel --config /etc/cloudflared/config.yml run\n"
            "    volumes: [./config.yml:/etc/cloudflared/config.yml]\n")
PY
run_bounded 60 "$TRUSTMAP" scan "$WORK/big" --format json --no-store --no-cache
expect_exit 0 1
grep -q '"gateway:cloudflared:config.yml"' "$WORK/out" || fail "the large configuration made no gateway"
run_bounded 60 "$TRUSTMAP" scan "$WORK/long" --format json --no-store --no-cache
expect_exit 0 1
grep -q "more than 512 words; the rest are not read" "$WORK/out" || fail "the long command line is not said"
exit 0
