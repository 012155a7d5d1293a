# Kibana was "reachable without a login (no credentials given to it: its security is assumed off)"
# in front of an Elasticsearch 8 (security on by default: Kibana shows a login page) and with its
# kibana.yml mounted (where its Elasticsearch credentials go). Now the Elasticsearch it talks to
# decides when it is known (called, depended on, or the service its image names by default), then
# its credentials, KIBANA_SYSTEM_PASSWORD or a mounted configuration; an Elasticsearch 7 without
# security leaves it open whatever Kibana is given. An empty ${ELASTIC_PASSWORD:-} is no credential.
. "$(dirname "$0")/../lib.sh"
for v in es8 es7 mounted bare; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$v" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$v.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
def load(v):
    d = json.load(open(f"{sys.argv[1]}/{v}.json"))
    return d, [f for f in d["findings"] if f["rule"] == "TM-MESH-012"]
d, f = load("es8")
assert f == [], [x["title"] for x in f]
es = [n for n in d["model"]["nodes"] if n["id"] == "datastore:compose:default/search"][0]
assert not es.get("credentials"), es
assert es.get("secured_by_default") is True, es
d, f = load("es7")
assert len(f) == 1 and "admits any client" in f[0]["title"] and "datastore:compose:default/elasticsearch" in f[0]["title"], [x["title"] for x in f]
d, f = load("mounted")
assert f == [], [x["title"] for x in f]
d, f = load("bare")
assert len(f) == 1 and "security is assumed off" in f[0]["title"], [x["title"] for x in f]
PY
