#!/usr/bin/env bash
# The bench's estate: after DB_PASS-style names became credentials, nginx's proxy_pass in an edge
# proxy's ConfigMap (`proxy_pass http://svc-20:8080;`) was "credential proxy_pass is written in the
# configuration file" (TM-SEC-006 high, one per namespace). proxy_pass, fastcgi_pass and their kin
# name upstreams; a *_PASS value that is a URL is no password either.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
sec = [f for f in d["findings"] if f["rule"] in ("TM-SEC-001", "TM-SEC-006")]
assert not sec, [(f["title"], [a["title"] for a in f.get("affected") or []]) for f in sec]
assert any(n["id"] == "service:shop/edge" for n in d["model"]["nodes"]), "the proxy is modelled"
PY
