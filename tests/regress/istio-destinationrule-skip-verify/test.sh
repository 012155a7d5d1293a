# A DestinationRule that originates TLS with insecureSkipVerify: true (the sidecars then accept any
# certificate for the host) said nothing: only trafficPolicy.tls.mode was read. Now each such TLS
# setting (the rule's, a port's, a subset's) is a fact on the host's workloads or its ServiceEntry
# node and TM-MESH-010 names it: high for a host outside the mesh or a data store, medium otherwise.
# SIMPLE without caCertificates stays quiet: since Istio 1.21 the sidecar verifies the server
# against the system's CA bundle (VERIFY_CERT_AT_CLIENT); so do ISTIO_MUTUAL and insecureSkipVerify: false.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
ms = regress.by_node(regress.findings(sys.argv[1]), "TM-MESH-010", key="node")
got = {k: (m["severity"], m["title"], m["finding"]) for k, m in ms.items()}
want = {"external:api.payments.example.com": "high", "service:shop/orders-db": "high",
        "external:legacy.corp.internal": "medium"}
assert {k: v[0] for k, v in got.items()} == want, {k: v[:2] for k, v in got.items()}
sev, title, f = got["service:shop/orders-db"]
assert "DestinationRule shop/orders-db port 5432: MUTUAL" in title and "data store" in title, title
assert f["evidence"][0]["path"] == "rules.yaml" and f["evidence"][0]["line"] == 29, f["evidence"][0]
assert "subset v1" in got["external:legacy.corp.internal"][1], got["external:legacy.corp.internal"][1]
PY
exit 0
