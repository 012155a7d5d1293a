# Addresses read from env values (trials S1, U7): "User Id=sa" in an ADO.NET connection string was
# split at its space and "User" became a phantom service; a SQLite file URL (sqlite3:db/app.sqlite3)
# and an in-memory JDBC URL became calls to "sqlite3" and "jdbc". A connection string is parted at
# ';' and ',' only (so "Data Source=host" is read too), file URLs and scheme:opaque values name no
# peer, and host:${PORT} still does.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = sorted(e["to"] for e in d["model"]["edges"] if e["kind"] == "calls")
assert calls == ["service:shop/rabbitmq", "service:shop/reportsdb", "service:shop/sqldata"], calls
PY
exit 0
