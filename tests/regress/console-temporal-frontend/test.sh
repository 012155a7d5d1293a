# Temporal's frontend was no console: published with no authorizer nor claim mapper (Temporal's nop
# authorizer admits every call) and no client certificates required, anyone starts, signals and
# terminates workflows and registers namespaces; it got only TM-MESH-004. Now high, from compose
# (its dynamicconfig folder mounted beneath the configuration directory sets no login) and from a
# NodePort on Kubernetes (the port moved by FRONTEND_GRPC_PORT). Quiet: TEMPORAL_AUTH_AUTHORIZER,
# TEMPORAL_TLS_REQUIRE_CLIENT_AUTH, a configuration directory of its own (not read), the UI on
# loopback.
. "$(dirname "$0")/../lib.sh"
# the compose project and the Kubernetes manifests, each scanned as a system of its own
for sys in compose k8s; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$sys" --no-store --no-cache --format json
  expect_exit 0 1
  mv "$WORK/out" "$WORK/$sys.json"
done
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import json, sys
findings = [f for p in sys.argv[1:] for f in json.load(open(p))["findings"]]
rows = {}
for f in findings:
    if f["rule"] == "TM-MESH-012":
        for a in f.get("affected") or [{"node": f["subject"], "title": f["title"], "severity": f["severity"]}]:
            rows[a["node"].split("/")[-1]] = (a["severity"], a["title"])
assert sorted(rows) == ["temporal", "temporal-frontend"], sorted(rows)
assert all(s == "high" for s, _ in rows.values()), rows
assert "terminating every workflow" in rows["temporal"][1] and "7233" in rows["temporal"][1], rows
PY
