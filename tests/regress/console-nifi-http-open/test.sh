# Apache NiFi was no console: its image published with NIFI_WEB_HTTP_PORT (start.sh then clears the
# HTTPS port and the login identity provider: plain HTTP, no login, the single-user credentials
# ignored) or from before 1.14 (HTTP on 8080 by default) got at most TM-MESH-004, though its
# ExecuteScript and ExecuteStreamCommand processors run any code. Now high, also on Kubernetes
# behind a LoadBalancer, and for the README's example single-user password; NiFi Registry over
# plain HTTP is medium. Quiet: a password of the project's own, one under 12 characters (refused:
# NiFi makes random credentials), a loopback binding, AUTH=ldap.
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
assert sorted(rows) == ["nifi", "nifi-example", "nifi-http", "nifi-old", "registry"], sorted(rows)
for n in ("nifi", "nifi-example", "nifi-http", "nifi-old"):
    assert rows[n][0] == "high", (n, rows[n])
assert "19090" in rows["nifi-http"][1] and "ExecuteScript" in rows["nifi-http"][1], rows["nifi-http"]
assert "README" in rows["nifi-example"][1], rows["nifi-example"]
assert rows["registry"][0] == "medium" and "versioned flow" in rows["registry"][1], rows["registry"]
PY
