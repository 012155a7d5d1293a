# train-ticket: each service's Spring application.yml names its MongoDB (spring.data.mongodb.host:
# ts-auth-mongo), and trustmap drew none of those calls (one call edge for 68 workloads); read for
# credentials only, an application's own configuration file said nothing about whom it calls. Now a
# file belongs to the workload its nearest directory names (by name, image or build context) and its
# addresses are calls when they name a scanned Service: Spring placeholders with defaults, .NET
# connection strings, .properties; a browser-facing setting (redirect-uri, AllowedOrigins) and the
# application's own hostname are no call; a file of an image several workloads run is no one's, said
# in a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"], e["to"]): e for e in d["model"]["edges"] if e["kind"] == "calls"}
want = {
    ("service:shop/orders-service", "service:shop/orders-mongo"): "orders-service/src/main/resources/application.yml: spring.data.mongodb.host",
    ("service:shop/catalog-api", "service:shop/sqldata"): "Catalog.API/appsettings.json: ConnectionStrings.CatalogDb",
    ("service:shop/billing", "service:shop/rabbitmq"): "billing/application.properties: spring.rabbitmq.host",
}
for k, setting in want.items():
    assert k in calls, ("missing call", k, sorted(calls))
    assert calls[k].get("setting") == [setting], calls[k]
e = calls[("service:shop/catalog-api", "service:shop/sqldata")]
assert "Pass@word" not in json.dumps(e) and e.get("ports") == ["1433"], e
assert calls[("service:shop/orders-service", "service:shop/orders-mongo")]["evidence"][0]["line"] == 8, calls
assert ("service:shop/orders-service", "service:shop/rabbitmq") not in calls, "a redirect URI is no call"
assert ("service:shop/catalog-api", "service:shop/billing") not in calls, "an allowed origin is no call"
assert not any(f == "service:shop/search" or f == "service:shop/geo" for f, _ in calls), "a shared image's file is no one's"
assert calls.get(("service:shop/catalog-api", "service:shop/basketdata"), {}).get("setting") == ["Catalog.API/appsettings.json: ConnectionStrings.Redis"], "a ConnectionStrings entry names its host"
assert ("service:shop/orders-service", "service:shop/catalog-api") in calls, "a zuul route's serviceId is a call"
assert not any(f == "service:shop/config" for f, _ in calls), ("a config server's served files are not its calls", [k for k in calls if k[0] == "service:shop/config"])
assert any("served by a config server to every client" in x["message"] for x in d["diagnostics"]), d["diagnostics"]
assert any("several workloads run the image" in x["message"] and x["path"] == "hotel/cfg/config.json" for x in d["diagnostics"]), d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
grep -q 'setting `orders-service/src/main/resources/application.yml: spring.data.mongodb.host`' "$WORK/out" || fail "the Markdown calls table does not name the setting"
# compose: the file is the service's that is built from its directory
run_bounded 60 "$TRUSTMAP" scan "$CASE/compose" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = [(e["from"], e["to"], e.get("setting")) for e in d["model"]["edges"] if e["kind"] == "calls"]
assert len(calls) == 1 and calls[0][0].endswith("/api") and calls[0][1].endswith("/db"), calls
assert calls[0][2] == ["api-src/config/settings.yaml: database.host"], calls
PY
