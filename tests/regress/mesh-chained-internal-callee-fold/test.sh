#!/usr/bin/env bash
# piggymetrics: once its Zuul routes made every backend internet-facing, the config server that all
# of them call became seven TM-MESH-003 findings, one per caller: the fold went by caller only. A
# service that several internet-facing services call is now one finding listing its callers; a
# caller in front of one service each still folds by caller.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
m3 = [f for f in d["findings"] if f["rule"] == "TM-MESH-003"]
titles = [f["title"] for f in m3]
assert len(m3) == 2, titles
one = [f for f in m3 if "config" in f["title"]]
assert len(one) == 1 and one[0]["title"].startswith("4 internet-facing services in the callers of service:compose:default/config"), titles
assert any("app0b" in t and "app0" in t for t in titles), titles
PY
exit 0
