# A workload that read its database's address from a Secret (a connection string kept with its
# password: secretKeyRef, or envFrom secretRef) had no call to the database, though the same address
# in a ConfigMap made one: moving a password out of a ConfigMap, as TM-SEC-001 asks, erased the
# flow to the store and every path through it. Secrets are read as ConfigMaps are: stringData as
# written, data decoded from base64; a value that decodes to no text is passed over.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"], e["to"]): e for e in d["model"]["edges"] if e["kind"] == "calls"}
db = calls.get(("service:shop/orders", "service:shop/orders-db"))
assert db and db["evidence"][0]["path"] == "app.yaml" and db["evidence"][0]["line"] == 25 and "***" in db["address"][0], calls  # the Secret's data line, the password hidden
assert ("service:shop/orders", "service:shop/payments") in calls, calls  # stringData, through envFrom
assert len(calls) == 2, sorted(calls)
assert any(f["rule"] == "TM-SEC-003" for f in d["findings"])  # the Secret still counts as committed
PY
