#!/usr/bin/env bash
# immich, appwrite. (a) An uncommitted `env_file: .env` was read from .env.example but not from
# example.env, which the project ships and which already filled ${...} references: the server's
# calls were lost. And a ${DB_PASSWORD} an example file fills was reported as a committed credential
# ("Rotate it now"), though an example's values are documented defaults. (b) A credential a service
# takes from the project's .env (passed through, `- DB_PASS`) cited the compose line, where no value
# is written, never the .env line where it is. (c) Only a value the example fills in alone is
# documented: a default written in the compose file (${PG_PASS:-...} the example does not set) and
# a literal with an escaped $$ stay committed credentials.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/a" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "a: see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = [(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"]
assert ("service:compose:default/server", "service:compose:default/database") in calls, calls
assert not [f for f in d["findings"] if f["rule"] == "TM-SEC-001"], [f["title"] for f in d["findings"]]
assert any("example.env" in x["message"] and "env_file .env" in x["message"] for x in d["diagnostics"]), d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/b" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "b: see above"
import json, sys
d = json.load(open(sys.argv[1]))
s1 = [f for f in d["findings"] if f["rule"] == "TM-SEC-001"]
assert s1 and all(e["path"] == ".env" and e["line"] == 1 for e in s1[0]["evidence"][:1]), s1
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/c" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "c: see above"
import json, sys
d = json.load(open(sys.argv[1]))
creds = {f["value"] for n in d["model"]["nodes"] for f in n.get("facts", []) if f["key"] == "literal_credentials"}
assert {"db/POSTGRES_PASSWORD", "db/API_TOKEN"} <= creds and "app/DB_PASSWORD" not in creds, creds
PY
exit 0
