# A configuration file's value that is only host:port ("customers:5100"), under a key that names no
# address (pitstop's APIServiceLocations.CustomerManagementAPI), was no call, although the same value
# in an env var is one and a scheme in front (http://customers:5100) made it one. Now such a value
# naming a scanned Service is a call, in JSON, YAML and .properties files alike; what names nothing
# scanned (repairs:5300) is nothing, and a settings key about the application's own public side
# (PublicEndpoints), an image tag (rabbitmq:3-management), a sentence holding a host:port and a
# time (00:00:30, 10:30) stay no calls.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"], e["to"]): e for e in d["model"]["edges"] if e["kind"] == "calls"}
def svc(n): return "service:default/" + n
want = {
    (svc("webapp"), svc("customers")): ("src/WebApp/appsettings.Production.json: ServiceLocations.Customers", "5100"),
    (svc("webapp"), svc("vehicles")): ("src/WebApp/appsettings.Production.json: ServiceLocations.Vehicles", "5000"),
    (svc("orders"), svc("inventory")): ("orders/src/main/resources/application.yml: shop.inventory-location", "8081"),
    (svc("billing"), svc("pricing")): ("billing/application.properties: pricing.location", "9090"),
}
for k, (setting, port) in want.items():
    e = calls.get(k)
    assert e, (k, sorted(calls))
    assert setting in e.get("setting", []), (k, e)
    assert port in e.get("ports", []), (k, e)
    assert e.get("evidence"), e
extra = set(calls) - set(want)
assert not extra, sorted(extra)
ids = {n["id"] for n in d["model"]["nodes"]}
assert not any("repairs" in i for i in ids), sorted(ids)
PY
exit 0
