# openapi-generator's petstore: GET /store/order/{orderId} states no security while most operations
# do. TM-API-002 (guessable object ids) ranked it low, "an anonymous read serves public data", below
# the same shape with credentials, and TM-API-001 did not ask whether its requirement was left out.
# A read of one object whose requirement is left out is now graded as the others (not lowered), and
# TM-API-001 asks its question for it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
def sev_of(rule, op):
    out = []
    for f in d["findings"]:
        if f["rule"] != rule:
            continue
        for a in f.get("affected") or [f]:
            if op in a.get("title", "") or op in a.get("node", ""):
                out.append(a["severity"])
    return out
order = sev_of("TM-API-002", "/orders/{orderId}")
pet = sev_of("TM-API-002", "GET /pets/{petId}")
rank = ["info", "low", "medium", "high", "critical"]
assert order and pet and rank.index(order[0]) >= rank.index(pet[0]), (order, pet)
asked = [f for f in d["findings"] if f["rule"] == "TM-API-001" and "/orders/{orderId}" in json.dumps(f)]
assert asked and "left out" in json.dumps(asked[0]), [f["title"] for f in d["findings"]]
PY
exit 0
