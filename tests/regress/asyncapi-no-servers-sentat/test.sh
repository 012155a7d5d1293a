# asyncapi/spec's simple-asyncapi.yml describes no server: how the broker admits publishers is not
# in it, but TM-ASYNC-001 (high) said "anyone who reaches the broker can publish". The security is
# unknown now. streetlights-kafka-asyncapi.yml's payloads carry `sentAt` (a date-time), but only
# message headers were read for a timestamp, so TM-ASYNC-002 said messages carry none.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/noservers" --format json --no-store --no-cache
expect_exit 0 1
python3 -c "
import json
d = json.load(open('$WORK/out'))
assert not [f for f in d['findings'] if f['rule'] == 'TM-ASYNC-001'], [f['title'] for f in d['findings']]
e = [x for x in d['model']['edges'] if x['kind'] in ('publishes', 'subscribes')]
assert e and all(x.get('security_source') == 'no server described' for x in e), e" || fail "no servers: see above"
run_bounded 60 "$TRUSTMAP" scan "$CASE/streetlights" --format json --no-store --no-cache
expect_exit 0 1
python3 -c "
import json
d = json.load(open('$WORK/out'))
assert not [f for f in d['findings'] if f['rule'] == 'TM-ASYNC-002'], [f['title'] for f in d['findings']]
e = [x for x in d['model']['edges'] if x['kind'] == 'subscribes']
assert e and all('timestamp' in x.get('replay_protection', []) for x in e), e" || fail "streetlights: see above"
exit 0
