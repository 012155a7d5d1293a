# The data stores knew only "changeme" and its spellings as a password everyone knows, the consoles
# only "admin": MySQL published with root's password "root", or PostgreSQL's "password", was no
# login everyone knows. One list now serves both; a store with a password of its own stays quiet.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
rows = {k: title for k, (_, title) in regress.rows(regress.findings(sys.argv[1]), "TM-DATA-002").items()}
assert sorted(rows) == ["orders-db", "users-db"], rows
assert all("everyone knows" in t for t in rows.values()), rows
PY
