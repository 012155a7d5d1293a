#!/usr/bin/env bash
# aks-store-demo: order-service is routed from the internet by store-admin's nginx (proxy_pass), and
# store-front, also internet-facing, calls it by an env var URL. The internet walk entered it first
# by that call, and exposure read only the way the walk first entered a node: it came out
# "cluster", while without the env var it is "internet". An extra caller lowered exposure. Now a
# node a route from outside reaches is routed whichever way the walk entered it first.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exposure"].get("service:default/orders") == "internet", d["exposure"]
PY
exit 0
