# pgAdmin published with PGADMIN_DEFAULT_PASSWORD set to a password everyone knows (admin, from the
# list Grafana's and Keycloak's rows read; a placeholder left as written, changeThisPassword; a
# Secret's "password") got TM-SEC-001 and TM-MESH-004 only. Now TM-MESH-012, high, a login
# everyone knows; a password from a variable or a loopback port stay quiet.
. "$(dirname "$0")/../lib.sh"
for part in compose k8s; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$part" --no-store --no-cache --format json
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$part.json"
done
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import json, sys
rows = {}
for path in sys.argv[1:]:
    for f in json.load(open(path))["findings"]:
        if f["rule"] == "TM-MESH-012":
            for a in f.get("affected") or [{"node": f["subject"], "title": f["title"], "severity": f["severity"]}]:
                rows[a["node"]] = (a["severity"], a["title"])
c = "service:compose:default/"
want = {c + "pgadmin", c + "pgadmin-placeholder", "service:tools/pgadmin"}
assert set(rows) == want, sorted(rows)
for n in want:
    assert rows[n][0] == "high" and "login everyone knows" in rows[n][1] and "PGADMIN_DEFAULT_PASSWORD" in rows[n][1], rows[n]
PY
