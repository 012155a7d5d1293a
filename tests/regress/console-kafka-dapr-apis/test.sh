# Broker HTTP APIs and sidecar APIs published without a login were only TM-MESH-004 low (trial S9):
# Confluent's Kafka REST Proxy (anyone produces and consumes), Kafka Connect's REST API (anyone
# creates connectors), Kafka Topics UI (every message) and a Dapr sidecar's API published beyond
# the host (anyone invokes, publishes, reads state). They are consoles now (TM-MESH-012), unless
# their own authentication is set (a Dapr API token).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
members = sorted(m["node"].split("/")[-1] for m in regress.members(regress.findings(sys.argv[1]), "TM-MESH-012"))
assert members == ["connect", "orders-dapr", "rest-proxy", "topics-ui"], members
PY
exit 0
