# Apache NiFi was no console: its image published with NIFI_WEB_HTTP_PORT (start.sh then clears the
# HTTPS port and the login identity provider: plain HTTP, no login, the single-user credentials
# ignored) or from before 1.14 (HTTP on 8080 by default) got at most TM-MESH-004, though its
# ExecuteScript and ExecuteStreamCommand processors run any code. Now high, also on Kubernetes
# behind a LoadBalancer, and for the README's example single-user password; NiFi Registry over
# plain HTTP is medium. Quiet: a password of the project's own, one under 12 characters (refused:
# NiFi makes random credentials), a loopback binding, AUTH=ldap.
. "$(dirname "$0")/../lib.sh"
# the compose project and the Kubernetes manifests, each scanned as a system of its own
scan_each compose k8s
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012")
assert sorted(rows) == ["nifi", "nifi-example", "nifi-http", "nifi-old", "registry"], sorted(rows)
for n in ("nifi", "nifi-example", "nifi-http", "nifi-old"):
    assert rows[n][0] == "high", (n, rows[n])
assert "19090" in rows["nifi-http"][1] and "ExecuteScript" in rows["nifi-http"][1], rows["nifi-http"]
assert "README" in rows["nifi-example"][1], rows["nifi-example"]
assert rows["registry"][0] == "medium" and "versioned flow" in rows["registry"][1], rows["registry"]
PY
