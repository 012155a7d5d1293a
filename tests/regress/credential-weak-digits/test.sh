#!/usr/bin/env bash
# mall-swarm: spring.datasource.password: 123456 in a production profile was skipped as a
# "generated" run (the stand-in Helm's randNumeric renders here is 0123456789...). 123456 is the
# commonest weak password, and deployments run with what is committed: it is a credential now.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
s6 = [f for f in d["findings"] if f["rule"] == "TM-SEC-006"]
assert s6 and "spring.datasource.password" in json.dumps(s6), [f["title"] for f in d["findings"]]
PY
exit 0
