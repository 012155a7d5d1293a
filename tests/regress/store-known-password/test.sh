# A store's password set to one everyone knows (docker-elk's shipped .env: ELASTIC_PASSWORD
# 'changeme') was "auth configured", and OpenSearch before 2.12 without
# OPENSEARCH_INITIAL_ADMIN_PASSWORD (its demo configuration: admin/admin) "unknown". Now both are
# auth default-login and TM-DATA-002; OpenSearch told not to install its demo configuration, or
# 2.12 and later given a password, are not; 'changeme' there is still no secret finding.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
import regress
d = json.load(open(sys.argv[1]))
n = {x["id"].rsplit("/", 1)[1]: x for x in d["model"]["nodes"] if x["kind"] == "datastore"}
assert n["search"]["auth"] == "default-login" and "ELASTIC_PASSWORD=changeme" in n["search"]["no_auth"][0], n["search"]
assert n["opensearch-old"]["auth"] == "default-login" and n["opensearch-old"]["default_login"] == "admin/admin", n["opensearch-old"]
assert n["opensearch-nodemo"]["auth"] != "default-login" and not n["opensearch-nodemo"].get("no_auth"), n["opensearch-nodemo"]
assert n["opensearch-new"]["auth"] == "configured", n["opensearch-new"]
assert n["db"]["auth"] == "configured", n["db"]
rows = regress.rows(d["findings"], "TM-DATA-002")
assert sorted(rows) == ["opensearch-old", "search"], rows
assert rows["search"][0] == "high", rows
sec = [json.dumps(f) for f in d["findings"] if f["rule"].startswith("TM-SEC")]
assert not [s for s in sec if "default/search" in s or ".env" in s], sec
PY
