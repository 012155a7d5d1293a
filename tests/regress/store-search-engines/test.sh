# The search stores beside Meilisearch: Typesense will not start without an API key (never open:
# a note when none is given, a login everyone knows with the documentation's xyz), Solr ships
# without security.json (open unless a security.json is mounted or Bitnami's
# SOLR_ENABLE_AUTHENTICATION is on). And a user's name is no password: MONGO_INITDB_ROOT_USERNAME
# admin made the store's login "everyone knows" (auth default-login) whatever its password.
. "$(dirname "$0")/../lib.sh"
parts="typesense-nokey typesense-xyz typesense-keyed solr-open solr-secured solr-bitnami mongo-admin-user"
for part in $parts; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$part" --no-store --no-cache --format json
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$part.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys, os
def load(part):
    return json.load(open(os.path.join(sys.argv[1], part + ".json")))
def data002(part):
    return {f["subject"]: (f["severity"], f["title"]) for f in load(part)["findings"] if f["rule"] == "TM-DATA-002"}
def store(part, sid):
    return next((n for n in load(part)["model"]["nodes"] if n["id"] == sid), None)
d = "datastore:compose:default/"
assert data002("typesense-nokey") == {}, data002("typesense-nokey")
s = store("typesense-nokey", d + "typesense")
assert s and s["store"] == "typesense" and "refuses to start" in s["not_started"][0], s
assert [x for x in load("typesense-nokey")["diagnostics"] if x["severity"] == "note" and "Typesense refuses to start" in x["message"]]
r = data002("typesense-xyz")
assert set(r) == {d + "typesense"} and r[d + "typesense"][0] == "high" and "--api-key=xyz" in r[d + "typesense"][1], r
assert data002("typesense-keyed") == {} and store("typesense-keyed", d + "typesense")["auth"] == "configured"
r = data002("solr-open")
assert set(r) == {d + "solr"} and r[d + "solr"][0] == "high", r
for part in ("solr-secured", "solr-bitnami"):
    assert data002(part) == {} and store(part, d + "solr")["store"] == "solr", (part, data002(part))
assert data002("mongo-admin-user") == {} and store("mongo-admin-user", d + "mongo")["auth"] == "configured", data002("mongo-admin-user")
PY
