# A store no name of its own classifies took "confidential: personal data" from any caller whose
# name held a personal word anywhere: sentry's shared redis and clickhouse were classified by
# `snuba-outcomes-billing-consumer` (an outcomes consumer), so TM-DATA-002 on redis was high while
# the real user database stayed medium, and renaming one consumer changed it. Only a caller's name
# of one or two words, or the first word of a longer one, speaks for the store now.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
r = [n for n in d["model"]["nodes"] if n["id"] == "datastore:compose:default/redis"][0]
assert "classification" not in r, r.get("classification_source")
PY
# a caller named for its data still classifies the store it writes
mkdir -p "$WORK/named"
sed 's/outcomes-billing-consumer:/billing-api:/' "$CASE/in/docker-compose.yml" > "$WORK/named/docker-compose.yml"
run_bounded 60 "$TRUSTMAP" scan "$WORK/named" --format json --no-store --no-cache
expect_exit 0 1
python3 -c "
import json
d = json.load(open('$WORK/out'))
r = [n for n in d['model']['nodes'] if n['id'] == 'datastore:compose:default/redis'][0]
assert r.get('classification') == 'confidential' and 'billing-api' in r.get('classification_source', ''), r" || fail "named: see above"
exit 0
