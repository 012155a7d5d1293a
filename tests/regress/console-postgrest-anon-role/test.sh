# PostgREST whose anonymous role (PGRST_DB_ANON_ROLE) is the role it connects as (the user of
# PGRST_DB_URI: the same ${VAR}, the same literal, or the URI from a Secret in the scan), or the
# image's superuser, gives anyone who reaches it that role's rights over the exposed schemas, with
# no token; published, it got only TM-MESH-004. Now TM-MESH-012, high. A distinct anonymous role
# (web_anon), another variable, or a loopback port stay quiet, and the URI's password never shows.
. "$(dirname "$0")/../lib.sh"
scan_each compose k8s
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import sys
import regress
for path in sys.argv[1:]:
    raw = open(path).read()
    assert "S9x-long-generated-pass" not in raw, "a password reached the report"
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012", key="node")
c = "service:compose:default/"
want = {c + "rest", c + "rest-literal", c + "rest-superuser", "service:data/postgrest"}
assert set(rows) == want, sorted(rows)
for n in want:
    assert rows[n][0] == "high" and "PostgREST" in rows[n][1] and "anonymous requests run as" in rows[n][1], rows[n]
PY
