# compose's include loads each included file as a project of its own directory, whose .env gives
# its defaults: db/.env sets DB_BIND=127.0.0.1:5432 for db/compose.yaml's `${DB_BIND}:5432`. The
# included file was interpolated with the including project's .env only, so DB_BIND was "set by
# nothing" and the loopback-only Postgres a high TM-MESH-007 "published beyond the host".
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
db = [n for n in d["model"]["nodes"] if n["id"] == "service:compose:homelab/db"][0]
assert db.get("loopback_ports") == ["127.0.0.1:5432->5432"] and not db.get("published_ports"), db
assert not [f for f in d["findings"] if f["rule"] == "TM-MESH-007"], [f["title"] for f in d["findings"]]
assert not [x for x in d["diagnostics"] if "DB_BIND" in x["message"]], d["diagnostics"]
PY
exit 0
