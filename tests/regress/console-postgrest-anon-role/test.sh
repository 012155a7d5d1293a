# PostgREST whose anonymous role (PGRST_DB_ANON_ROLE) is the role it connects as (the user of
# PGRST_DB_URI: the same ${VAR}, the same literal, or the URI from a Secret in the scan), or the
# image's superuser, gives anyone who reaches it that role's rights over the exposed schemas, with
# no token; published, it got only TM-MESH-004. Now TM-MESH-012, high. A distinct anonymous role
# (web_anon), another variable, or a loopback port stay quiet, and the URI's password never shows.
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
    raw = open(path).read()
    assert "S9x-long-generated-pass" not in raw, "a password reached the report"
    for f in json.loads(raw)["findings"]:
        if f["rule"] == "TM-MESH-012":
            for a in f.get("affected") or [{"node": f["subject"], "title": f["title"], "severity": f["severity"]}]:
                rows[a["node"]] = (a["severity"], a["title"])
c = "service:compose:default/"
want = {c + "rest", c + "rest-literal", c + "rest-superuser", "service:data/postgrest"}
assert set(rows) == want, sorted(rows)
for n in want:
    assert rows[n][0] == "high" and "PostgREST" in rows[n][1] and "anonymous requests run as" in rows[n][1], rows[n]
PY
