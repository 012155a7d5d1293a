# Temporal's frontend was no console: published with no authorizer nor claim mapper (Temporal's nop
# authorizer admits every call) and no client certificates required, anyone starts, signals and
# terminates workflows and registers namespaces; it got only TM-MESH-004. Now high, from compose
# (its dynamicconfig folder mounted beneath the configuration directory sets no login) and from a
# NodePort on Kubernetes (the port moved by FRONTEND_GRPC_PORT). Quiet: TEMPORAL_AUTH_AUTHORIZER,
# TEMPORAL_TLS_REQUIRE_CLIENT_AUTH, a configuration directory of its own (not read), the UI on
# loopback.
. "$(dirname "$0")/../lib.sh"
# the compose project and the Kubernetes manifests, each scanned as a system of its own
scan_each compose k8s
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012")
assert sorted(rows) == ["temporal", "temporal-frontend"], sorted(rows)
assert all(s == "high" for s, _ in rows.values()), rows
assert "terminating every workflow" in rows["temporal"][1] and "7233" in rows["temporal"][1], rows
PY
