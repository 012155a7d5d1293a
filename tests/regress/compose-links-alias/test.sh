#!/usr/bin/env bash
# mall-swarm: `links: ["mysql:db"]` names the mysql service "db" for the linking service, and its
# configuration says jdbc:mysql://db:3306: the call to the database was lost without a word. A
# link's alias is now a name of the linked service, for the linking service before any other name
# (two services linking different databases as "db", beside a service named db, each reach their own).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/a" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = [(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"]
assert ("service:compose:default/admin", "service:compose:default/mysql") in calls, calls
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/b" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "b: see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = sorted((e["from"].split("/")[-1], e["to"].split("/")[-1]) for e in d["model"]["edges"] if e["kind"] == "calls")
assert calls == [("web", "mysql"), ("worker", "postgres")], calls
PY
exit 0
