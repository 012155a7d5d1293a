# Hasura GraphQL Engine without an admin secret makes every caller its administrator (the console,
# the metadata API, run_sql), yet published to the host, behind a Caddy the internet reaches or by
# a LoadBalancer it got only TM-MESH-004. Now TM-MESH-012, high, "no admin secret: every caller is
# admin"; its manifests' example secret (myadminsecretkey) is a secret everyone knows. Quiet: a
# secret from a variable, a flag or a Secret; a JWT secret alone (graphql-engine refuses to start
# without an admin secret); a loopback port. A secret passed through from the shell is assumed
# unset, said, a level lower.
. "$(dirname "$0")/../lib.sh"
rows_of() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = {}
for f in d["findings"]:
    if f["rule"] == "TM-MESH-012":
        for a in f.get("affected") or [{"node": f["subject"], "title": f["title"], "severity": f["severity"]}]:
            rows[a["node"]] = [a["severity"], a["title"]]
print(json.dumps(rows))
PY
}
for part in compose gw k8s; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$part" --no-store --no-cache --format json
  expect_exit 0 1
  rows_of "$WORK/out" > "$WORK/$part.rows" || fail "no JSON for $part"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys, os
rows = {}
for part in ("compose", "gw", "k8s"):
    rows.update(json.load(open(os.path.join(sys.argv[1], part + ".rows"))))
c = "service:compose:default/"
want = {c + "graphql", c + "graphql-example-secret", c + "graphql-passed", "service:compose:default/engine", "service:api/hasura"}
assert set(rows) == want, sorted(rows)
for n in (c + "graphql", "service:compose:default/engine", "service:api/hasura"):
    sev, title = rows[n]
    assert sev == "high" and "no admin secret: every caller is admin" in title and "run_sql" in title, (n, rows[n])
assert "caddy" in rows["service:compose:default/engine"][1], rows
assert rows[c + "graphql-example-secret"][0] == "high" and "myadminsecretkey" in rows[c + "graphql-example-secret"][1], rows
sev, title = rows[c + "graphql-passed"]
assert sev == "medium" and "assumed" in title and "HASURA_GRAPHQL_ADMIN_SECRET (passed through" in title, rows
PY
