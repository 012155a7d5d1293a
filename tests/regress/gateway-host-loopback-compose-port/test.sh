# mastodon runs nginx on the host in front of its compose services, which publish on loopback only
# (`127.0.0.1:3000:3000`; dist/nginx.conf: `server 127.0.0.1:3000`). The gateway's loopback
# upstream was "the gateway's own pod or host: what listens there is not in the files", so the
# gateway stood alone and no Mastodon service was internet-facing. A gateway no workload runs (on
# the host) reaching the host's loopback port now routes to the compose service publishing it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
r = [e for e in d["model"]["edges"] if e["kind"] == "routes" and e["to"] == "service:compose:default/web" and e["from"].startswith("gateway:nginx")]
assert r and r[0].get("host_port") == "127.0.0.1:3000", r
assert d["exposure"].get("service:compose:default/web") == "internet", d["exposure"]
PY
exit 0
