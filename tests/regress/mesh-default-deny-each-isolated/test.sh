# TM-MESH-006 "namespace monitoring has no default-deny NetworkPolicy" was medium ("any compromised
# pod can reach every other pod") though every workload there is isolated by a policy of its own
# (the shape of kube-prometheus's blackbox-exporter: one policy per component). The finding stays (a pod added later is open) but
# is low and says each workload has its own policy; a namespace with an open workload stays medium.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "TM-MESH-006"]
mon = [x for x in f if "namespace monitoring" in x["title"]]
shop = [x for x in f if "namespace shop" in x["title"]]
assert len(mon) == 1 and mon[0]["severity"] == "low", [(x["title"], x["severity"]) for x in f]
assert "its 1 workload has its own policy" in mon[0]["title"], mon[0]["title"]
assert len(shop) == 1 and shop[0]["severity"] == "medium" and "own policy" not in shop[0]["title"], \
    [(x["title"], x["severity"]) for x in f]
PY
exit 0
