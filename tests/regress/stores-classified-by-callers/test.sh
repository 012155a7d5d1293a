# supabase (self-hosted compose): its Postgres, service `db`, holds the users the `auth` service
# (GoTrue) keeps, and trustmap saw no crown jewel in it: a store is classified by its own name (users,
# accounts, orders...), and `db` names nothing, so `paths --from internet` found no valuable target.
# Now a store its name leaves unclassified takes the data its callers' names say (auth: credentials),
# saying which caller; an overlay asset still overrides it, and a store no such workload calls stays
# unclassified.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"].split("/")[-1] + ":" + n["kind"]: n for n in d["model"]["nodes"]}
db = nodes["db:datastore"]
assert db.get("classification") == "confidential" and db.get("holds") == "credentials", db
assert db.get("classification_source") == "default: called by 'auth', whose name suggests credentials", db
assert "classification" not in nodes["cache:datastore"], nodes["cache:datastore"]
assert any(f["rule"] == "TM-PATH-001" and "datastore:compose:" in json.dumps(f.get("path")) for f in d["findings"]), [(f["rule"], f["title"]) for f in d["findings"]]
PY
# an overlay asset naming the store wins
mkdir -p "$WORK/ov" && cp "$CASE/in/docker-compose.yml" "$WORK/ov/" && cat > "$WORK/ov/trustmap.yaml" <<'YAML'
assets:
  - {name: public-content, classification: internal, stores: [db]}
YAML
run_bounded 60 "$TRUSTMAP" scan "$WORK/ov" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
db = [n for n in d["model"]["nodes"] if n["kind"] == "datastore" and n["id"].endswith("/db")][0]
assert db.get("classification") == "internal" and db.get("classification_source") == "trustmap.yaml", db
PY
