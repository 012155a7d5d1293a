# Confluent's current Connect images (cp-server-connect, the datagen demo image), ksqlDB server,
# Confluent Control Center and AKHQ were not in the console table: published without their
# authentication settings they were only "exposed directly" (TM-MESH-004). Now each is TM-MESH-012,
# high (they write), and quiet with ksqlDB's KSQL_AUTHENTICATION_METHOD, Control Center's
# CONTROL_CENTER_REST_AUTHENTICATION_METHOD or AKHQ's configuration enabling Micronaut security.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012")
assert sorted(rows) == ["akhq", "c3", "connect", "datagen", "ksql"], rows
assert all(s == "high" for s, _ in rows.values()), rows
assert "ksqlDB server" in rows["ksql"][1] and "Confluent Control Center" in rows["c3"][1], rows
assert "AKHQ" in rows["akhq"][1] and "Kafka Connect REST API" in rows["datagen"][1], rows
PY
