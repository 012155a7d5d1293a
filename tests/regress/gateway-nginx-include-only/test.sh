#!/usr/bin/env bash
# Trial AL: a main nginx.conf holding no server block, only `include` lines (its servers are in
# conf.d/*.conf, read on their own), was counted as one more gateway serving the internet without
# TLS: TM-MESH-013 said 3 gateways where 2 files have servers. A file with no server of its own
# listens on nothing: no way in of its own.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "TM-MESH-013"]
gws = set()
for x in f:
    gws |= {a["node"] for a in x.get("affected", [])} or {x["subject"]}
assert gws == {"gateway:nginx:nginx/conf.d/shop.conf", "gateway:nginx:nginx/conf.d/blog.conf"}, gws
g = [n for n in d["model"]["nodes"] if n["id"] == "gateway:nginx:nginx/nginx.conf"]
assert g and "include /etc/nginx/conf.d/*.conf" in g[0].get("no_server", []), g
PY
exit 0
