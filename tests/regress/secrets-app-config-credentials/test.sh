# Credentials written in an application's own configuration files (appsettings.json connection
# strings, a Kratos config.yaml DSN, a Spring application.yml mail password) were never read: the
# files were skipped as "no recognised document" and the credentials went unreported (gomall,
# beer-shop, eShopOnContainers, train-ticket). They are now app-config inputs and TM-SEC-006
# reports each credential by its key path, medium in a development or test configuration, never
# its value. Placeholders (your-client-secret, changeme, %s, ${...}), references (vault:,
# @Microsoft.KeyVault(...)), switches and an API spec's schema part named database.yml are not
# credentials; the same judgement now spares env vars holding a placeholder or a templated URL.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "credentials in configuration files (see above)"
import json, sys
import regress
raw = open(sys.argv[1]).read()
j = json.loads(raw)
bad = []
kinds = {i["path"]: i["kind"] for i in j["inputs"]}
for p in ("src/Ordering.API/appsettings.json", "src/Ordering.API/appsettings.Development.json",
          "app/user/service/configs/config.yaml", "app/cart/conf/online/conf.yaml",
          "svc/src/main/resources/application.yml", "settings.json"):
    if kinds.get(p) != "app-config":
        bad.append("%s: kind %s, want app-config" % (p, kinds.get(p)))
if kinds.get("api/models/database.yml") == "app-config":
    bad.append("api/models/database.yml is a schema, not a configuration file")
members = {m["title"]: m["severity"] for m in regress.members(j["findings"], "TM-SEC-006")}
want = {
    "src/Ordering.API/appsettings.json: credential ConnectionString is written in the configuration file": "high",
    "src/Ordering.API/appsettings.Development.json: credential ConnectionStrings.OrderingDB is written in the configuration file (a development or test configuration)": "medium",
    "src/Ordering.FunctionalTests/appsettings.json: credential ConnectionString is written in the configuration file (a development or test configuration)": "medium",
    "app/user/service/configs/config.yaml: credential data.database.source is written in the configuration file": "high",
    "app/user/service/configs/config.yaml: credential auth.api_key is written in the configuration file": "high",
    "svc/src/main/resources/application.yml: credential spring.mail.password is written in the configuration file": "high",
}
if members != want:
    bad.append("TM-SEC-006 members:\n  got  %s\n  want %s" % (sorted(members.items()), sorted(want.items())))
lits = sorted(m["title"] for m in regress.members(j["findings"], "TM-SEC-001"))
if len(lits) != 2 or not any("CACHE_PASSWORD" in t for t in lits) or not any("REPORTS_URL" in t for t in lits):
    bad.append("TM-SEC-001: want CACHE_PASSWORD and REPORTS_URL alone, got %s" % lits)
for secret in ("Pass@word", "devOnly-42", "dangerous", "fdse1234", "some-secret-key", "s3cr3t", "hunter22"):
    if secret in raw:
        bad.append("the report prints the value %s" % secret)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
