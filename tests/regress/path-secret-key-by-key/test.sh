# Whether TM-PATH-001 fired depended on whether the database's root password shared a Secret with the
# application: WordPress takes `mariadb-user` and `mariadb-password` key by key (secretKeyRef) from
# the Secret that also holds `mariadb-root-password`, which MariaDB takes; the exemption "a secret the
# exposed workload takes key by key" was applied to the whole Secret, so no path, while the root
# password in a Secret of its own made a high one. Decided per key now: what WordPress holds is the
# keys it takes; the root password is reached through MariaDB as a Secret of its own would be, and
# the finding names the key. Quiet when MariaDB takes only keys WordPress takes too.
. "$(dirname "$0")/../lib.sh"
path_of() { # DIR: the TM-PATH-001 findings, as "severity|title|path"
  run_bounded 60 "$TRUSTMAP" scan "$CASE/$1" --format json --no-store --no-cache
  expect_exit 0 1
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    if f["rule"] == "TM-PATH-001":
        print("%s|%s|%s" % (f["severity"], f["title"], " ".join(f["path"])))
' "$WORK/out" > "$WORK/paths" || fail "$1: json"
}
chain='entrypoint:internet gateway:blog/wordpress service:blog/wordpress service:blog/mariadb'
path_of shared
want="high|from the internet through service:blog/wordpress to secret:k8s:blog/mariadb (a secret: its key mariadb-root-password, which service:blog/wordpress does not take), 4 hops|$chain secret:k8s:blog/mariadb"
[ "$(cat "$WORK/paths")" = "$want" ] || fail "shared Secret: $(cat "$WORK/paths")"
# the key's taker's mount is the last hop's evidence (MariaDB's secretKeyRef of the root password)
python3 - "$WORK/out" <<'PY' || fail "shared Secret: evidence and keys (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "TM-PATH-001"][0]
assert f["evidence"][-1] == {"path": "wordpress.yaml", "line": 106, "column": 25}, f["evidence"]
m = {e["from"]: e for e in d["model"]["edges"] if e["kind"] == "mounts"}
assert m["service:blog/wordpress"]["keys"] == ["mariadb-password", "mariadb-user"], m
assert m["service:blog/mariadb"]["keys"] == ["mariadb-password", "mariadb-root-password", "mariadb-user"], m
assert "every_key" not in m["service:blog/wordpress"], m
PY
path_of separate
want="high|from the internet through service:blog/wordpress to secret:k8s:blog/mariadb-root (a secret), 4 hops|$chain secret:k8s:blog/mariadb-root"
[ "$(cat "$WORK/paths")" = "$want" ] || fail "separate Secret: $(cat "$WORK/paths")"
path_of whole-known
want="high|from the internet through service:blog/wordpress to secret:k8s:blog/mariadb (a secret: its key MARIADB_ROOT_PASSWORD, which service:blog/wordpress does not take), 4 hops|$chain secret:k8s:blog/mariadb"
[ "$(cat "$WORK/paths")" = "$want" ] || fail "whole Secret, keys known: $(cat "$WORK/paths")"
path_of app-keys-only
[ ! -s "$WORK/paths" ] || fail "MariaDB takes only WordPress' keys, yet: $(cat "$WORK/paths")"
exit 0
