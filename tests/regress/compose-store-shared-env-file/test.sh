# A data store's image sharing an env_file with the applications (Dify's middleware.env) "called"
# every service the file names (the sandbox, the egress proxy), so the database turned up among their
# callers. The variables of a shared env_file are the applications' own: the store calls no one by
# them; the application still does.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"].split("/")[-1], e["to"].split("/")[-1]) for e in d["model"]["edges"] if e["kind"] == "calls"}
assert ("api", "sandbox") in calls and ("api", "egress-proxy") in calls, calls
assert not [c for c in calls if c[0] == "db"], calls
PY
exit 0
