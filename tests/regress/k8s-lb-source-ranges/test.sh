#!/usr/bin/env bash
# ftgo trial: a LoadBalancer admitting one address (loadBalancerSourceRanges: 88.128.82.195/32) was
# still TM-MESH-004, exposed to the internet, and `query can internet --source-ip 203.0.113.9` said
# ALLOW, though the rule's own fix is to set those ranges. The ranges are now the load balancer's
# allow-list: no anonymous internet client passes; a source inside one does.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert "internet" not in d["exposure"].values(), d["exposure"]
assert not [f for f in d["findings"] if f["rule"] in ("TM-MESH-004", "TM-PATH-001")], [f["title"] for f in d["findings"]]
PY
run_bounded 60 "$TRUSTMAP" query can internet shop/api-gateway "$CASE" --source-ip 203.0.113.9
expect_exit 1
grep -q "^DENY (blocked)" "$WORK/out" || { cat "$WORK/out"; fail "not blocked"; }
run_bounded 60 "$TRUSTMAP" query can internet shop/api-gateway "$CASE" --source-ip 88.128.82.195
expect_exit 0
exit 0
