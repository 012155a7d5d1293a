# An OpenShift Template (template.openshift.io/v1, or the legacy v1) was skipped whole ("recognised,
# not modelled"), and the report then said nothing was exposed although the template holds a Route
# to its app (the shape of sclorg's quickstart templates, such as django-ex's
# django-postgresql-persistent.json: a Route, two DeploymentConfigs, a Secret). Its objects are
# read as `oc process` makes them: ${NAME} replaced by the parameter's
# value, a whole ${{NAME}} as a number or boolean, a generated or required parameter without a value
# as the placeholder <NAME> with a note naming it; evidence points into the Template. A Template
# whose objects or parameters are not a list is refused as oc process refuses it, with a warning.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
exp = d["exposure"]
msgs = [(x["severity"], x["message"], x["path"], x["line"]) for x in d["diagnostics"]]
def has(sev, text):
    return any(s == sev and text in m for s, m, _, _ in msgs)

# repro: the Route exposes the DeploymentConfig's pods
web = nodes.get("service:default/web")
assert web and web.get("workload") == "DeploymentConfig", web
assert exp.get("service:default/web") == "internet", exp
assert all(e["path"] == "template.yaml" for e in web["evidence"]), web["evidence"]
assert "gateway:default/web" in nodes

# a quickstart's shape: legacy v1 kinds in JSON, parameters with and without values
dj = "notes/openshift/templates/notes-postgresql-persistent.json"
app = nodes.get("service:default/notes-psql-persistent")
db = nodes.get("service:default/postgresql")
assert app and app.get("workload") == "DeploymentConfig", app
assert db and db.get("workload") == "DeploymentConfig", db
assert exp.get("service:default/notes-psql-persistent") == "internet", exp
assert all(e["path"] == dj for e in app["evidence"]), app["evidence"]
assert has("note", "parameter DATABASE_PASSWORD of the OpenShift Template notes-psql-persistent is generated"), msgs
assert has("note", "read as the placeholder <APP_SECRET_KEY>"), msgs
assert has("note", "the OpenShift Template notes-psql-persistent is read as oc process makes it, with its parameters' values: 9 objects"), msgs
names = {i["path"]: i for i in d["inputs"]}
assert names[dj]["modelled"] >= 5, names[dj]

# ${{NAME}} typed, keys substituted, references to no parameter left as written
shop = nodes.get("service:store/shop")
assert shop and shop.get("replicas") == 3, shop
assert "tier=on" in shop.get("labels", []), shop
assert shop.get("images") == ["<IMAGE>:"], shop
assert exp.get("service:store/shop") == "internet", exp
f = {}
for x in d["findings"]:
    if x["subject"] == "service:store/shop":
        f.setdefault(x["rule"], []).append(x)
assert any(e["path"] == "shop-template.yaml" and e["line"] == 27 for e in f["TM-CTR-001"][0]["evidence"]), f.get("TM-CTR-001")
sec = [x["title"] for x in f.get("TM-SEC-001", [])]
assert len(sec) == 1 and "ADMIN_PASSWORD" in sec[0], sec  # API_TOKEN is generated: no literal in the files
assert has("note", "parameter IMAGE of the OpenShift Template shop is required and has no value in the files"), msgs
assert has("note", "parameter API_TOKEN of the OpenShift Template shop is generated"), msgs
assert has("warning", "the OpenShift Template shop: objects item 4 is not an object; left out"), msgs
assert has("warning", "the OpenShift Template shop: parameter 11 has no name"), msgs

# malformed Templates: said, not modelled, no crash
assert has("warning", "the OpenShift Template objs-not-list: objects is not a list, so oc process refuses the template"), msgs
assert has("warning", "the OpenShift Template params-not-list: parameters is not a list, so oc process refuses the template"), msgs
assert "service:default/x" not in nodes
PY
exit 0
