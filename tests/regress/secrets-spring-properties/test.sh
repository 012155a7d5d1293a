# Spring Boot applications keep their settings in application.properties more often than in
# application.yml, and the credentials written there went unreported: a .properties file was no
# input at all. Now an application's configuration file named as the YAML and JSON ones are
# (application[-PROFILE], bootstrap, config, settings, secrets, credentials, database) is read as
# java.util.Properties reads it (`=`, `:` or a space between key and value, `#` and `!` comments,
# continuation lines, escapes, ISO-8859-1 when not UTF-8) and each property judged as a YAML
# configuration's scalar: TM-SEC-006 names the key and the line and column of the value, never the
# value. Placeholders, templates and commented-out lines are not credentials; a file with a NUL byte
# is skipped with an error at the byte.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
expect_valid_utf8 "$WORK/out"
python3 - "$WORK/out" <<'PY' || fail "credentials in .properties files (see above)"
import json, sys
raw = open(sys.argv[1], encoding="utf-8").read()
j = json.loads(raw)
bad = []
facts = {}
for n in j["model"]["nodes"]:
    for f in n.get("facts", []):
        if f["key"] == "config_credentials":
            facts[(f["at"]["path"], f["value"])] = (f["at"]["line"], f["at"]["column"])
o = "orders/src/main/resources/application.properties"
b = "billing/src/main/resources/application-prod.properties"
want = {
    (o, "spring.datasource.password"): (5, 28),
    (o, "app.jwt.secret"): (6, 18),
    (o, "app.partner.api-key"): (7, 23),
    (o, "app.github.token"): (8, 18),
    (o, "app.escaped=key.password"): (14, 27),
    (b, "billing.db.password"): (2, 21),
}
if facts != want:
    bad.append("credentials: %s\n want %s" % (sorted(facts.items()), sorted(want.items())))
for secret in ("Orders-2024-pg", "pk_9f8e7d6c5b4a3210", "2mLw9RtK4vB7nC1", "EscAped", "old-one-Orders", "Factur"):
    if secret in raw:
        bad.append("a value is printed in the report: %s" % secret)
skipped = {s["path"]: s["reason"] for s in j["skipped"]}
if skipped != {"billing/src/main/resources/application-bin.properties": "invalid UTF-8"}:
    bad.append("only the file with a NUL byte is skipped, with its reason: %s" % skipped)
errs = [(d["path"], d["line"], d["column"]) for d in j["diagnostics"] if d["severity"] == "error"]
if errs != [("billing/src/main/resources/application-bin.properties", 1, 28)]:
    bad.append("the NUL byte is not an error at its place: %s" % j["diagnostics"])
for b_ in bad:
    print(b_, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
