# A Dapr Component's spec.metadata may carry a credential written out (a postgres connectionString
# with password=): TM-SEC-001, as the same value in a ConfigMap, while a secretKeyRef is no finding.
# The store a component's address names (host=sales-pg, redisHost cache:6379) is called by the apps
# the component serves: its scopes' app-ids, else every Dapr app of its namespace. Before, the file
# was "recognised, not modelled": no finding, and orders's blast radius missed its database.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
s = [x for x in d["findings"] if x["rule"] == "TM-SEC-001"]
assert len(s) == 1 and "order-state#connectionString" in s[0]["title"], s
assert s[0]["evidence"][0]["path"] == "components.yaml" and s[0]["evidence"][0]["line"] == 11, s
assert not any("redisPassword" in x["title"] for x in d["findings"])
e = {(x["from"], x["to"]): x for x in d["model"]["edges"] if x["kind"] == "calls"}
o = e.get(("service:sales/orders", "service:sales/sales-pg"))
assert o and o["dapr_component"] == ["order-state (state.postgresql)"] and "password=***" in o["address"][0], o
assert ("service:sales/billing", "service:sales/sales-pg") not in e, e  # out of the component's scopes
assert ("service:sales/orders", "service:sales/cache") in e and ("service:sales/billing", "service:sales/cache") in e, e
PY
exit 0
