# TM-API-006 (mass assignment) and TM-BIZ-003 (client controls price, status or approval) both
# reported a writable price on the same operation: two high findings for one fact (sock-shop's
# POST /carts/{customerId}/items "lets the client set unitPrice" and "lets the client decide
# unitPrice"). A price, status or approval is TM-BIZ-003's; TM-API-006 keeps rights and ownership.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "one field reported by two rules (see above)"
import json, sys
import regress
j = json.load(open(sys.argv[1]))
said = {}
for m in regress.members(j["findings"], "TM-API-006", "TM-BIZ-003"):
    said[(m["finding"]["rule"], m["node"].split("/", 2)[-1])] = m["title"]
bad = []
want = {
    ("TM-BIZ-003", "POST /carts/{cartId}/items"): "lets the client decide unitPrice",
    ("TM-API-006", "PUT /accounts/{accountId}"): "lets the client set role",
    ("TM-BIZ-003", "PUT /accounts/{accountId}"): "lets the client decide status",
}
for k, v in want.items():
    if k not in said or not said[k].endswith(v):
        bad.append("%s on %s: want '...%s', got %s" % (k[0], k[1], v, said.get(k)))
extra = sorted(set(said) - set(want))
if extra:
    bad.append("findings no field calls for: %s" % [(k, said[k]) for k in extra])
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
