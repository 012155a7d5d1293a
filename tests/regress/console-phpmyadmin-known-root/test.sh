# phpMyAdmin published in front of a MySQL whose root password everyone knows (root/root, the
# WordPress + phpMyAdmin compose of every tutorial) got TM-DATA-002 medium only, naming neither the
# console nor the internet: its login form hands the database to every visitor. Now TM-MESH-012,
# high, naming the store and its login (one finding: no TM-PATH-001 besides it); so for Adminer in
# front of PostgreSQL's trust, and for phpMyAdmin in front of an empty password (its image allows
# one), and for Adminer, whose form takes any server, in front of a weak store of its network. Adminer
# refuses empty passwords: in front of MYSQL_ALLOW_EMPTY_PASSWORD it stays low. A
# loopback port or a password from a variable stay quiet.
. "$(dirname "$0")/../lib.sh"
for part in pma-root pma-depends pma-empty adminer-trust adminer-empty adminer-network adminer-apart pma-loopback pma-strong k8s; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$part" --no-store --no-cache --format json
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$part.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys, os
def rows(part):
    out = {}
    for f in json.load(open(os.path.join(sys.argv[1], part + ".json")))["findings"]:
        if f["rule"] in ("TM-MESH-012", "TM-PATH-001"):
            for a in f.get("affected") or [{"node": f["subject"], "title": f["title"], "severity": f["severity"]}]:
                out[(f["rule"], a["node"])] = (a["severity"], a["title"])
    return out
c = "service:compose:default/"
want = {
    "pma-root": (c + "phpmyadmin", "datastore:compose:default/db", "MYSQL_ROOT_PASSWORD=root", "whose login everyone knows"),
    "pma-depends": (c + "pma", "datastore:compose:default/mariadb", "MARIADB_ROOT_PASSWORD=changeme", "whose login everyone knows"),
    "pma-empty": (c + "phpmyadmin", "datastore:compose:default/db", "MYSQL_ALLOW_EMPTY_PASSWORD=yes", "admits any client"),
    "adminer-trust": (c + "adminer", "datastore:compose:default/postgres", "POSTGRES_HOST_AUTH_METHOD=trust", "admits any client"),
    "adminer-network": (c + "adminer", "datastore:compose:default/pg", "POSTGRES_PASSWORD=password", "whose login everyone knows"),
    "k8s": ("service:blog/phpmyadmin", "datastore:blog/mysql", "MYSQL_ROOT_PASSWORD=password", "whose login everyone knows"),
}
for part, (node, store, login, how) in want.items():
    r = rows(part)
    if part == "k8s":  # its path to the Secret (no NetworkPolicy) is another finding's
        r = {k: v for k, v in r.items() if k[0] == "TM-MESH-012"}
    assert set(r) == {("TM-MESH-012", node)}, (part, sorted(r))
    sev, title = r[("TM-MESH-012", node)]
    assert sev == "high" and store in title and login in title and how in title, (part, r)
for part in ("adminer-empty", "adminer-apart"):
    r = rows(part)
    assert set(r) == {("TM-MESH-012", c + "adminer")} and r[("TM-MESH-012", c + "adminer")][0] == "low", (part, r)
for part in ("pma-loopback", "pma-strong"):
    assert rows(part) == {}, (part, rows(part))
PY
