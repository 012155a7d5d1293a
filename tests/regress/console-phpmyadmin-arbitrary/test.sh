# phpMyAdmin with PMA_ARBITRARY=1 (a login form taking any server) published got no finding at all,
# while Adminer in the same role got TM-MESH-012 low ("a database client open to anyone"). Now the
# same low finding, saying PMA_ARBITRARY=1; high in front of a store of the scan whose login
# everyone knows. The image compares the setting with '1' only: PMA_ARBITRARY=true stays quiet.
. "$(dirname "$0")/../lib.sh"
for part in any any-true any-weak; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$part" --no-store --no-cache --format json
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$part.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys, os
def rows(part):
    out = {}
    for f in json.load(open(os.path.join(sys.argv[1], part + ".json")))["findings"]:
        if f["rule"] == "TM-MESH-012":
            for a in f.get("affected") or [{"node": f["subject"], "title": f["title"], "severity": f["severity"]}]:
                out[a["node"]] = (a["severity"], a["title"])
    return out
c = "service:compose:default/"
r = rows("any")
assert set(r) == {c + "pma"}, r
assert r[c + "pma"][0] == "low" and "PMA_ARBITRARY=1" in r[c + "pma"][1] and "database client open to anyone" in r[c + "pma"][1], r
assert rows("any-true") == {}, rows("any-true")
r = rows("any-weak")
assert set(r) == {c + "phpmyadmin"}, r
sev, title = r[c + "phpmyadmin"]
assert sev == "high" and "datastore:compose:default/mysql" in title and "MYSQL_ROOT_PASSWORD=secret" in title, r
PY
