# mailcow: php-fpm reaches MariaDB through the socket directory both mount (a named volume at
# /var/run/mysqld), not the network, and the model drew no call: the database looked unused by the
# application, and its attack paths stopped short. A volume shared where a store's server puts its
# socket is a call to that store.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = [x for x in d["model"]["edges"] if x["kind"] == "calls"]
assert [(x["from"], x["to"]) for x in e] == [("service:compose:default/php-fpm", "service:compose:default/mysql")], e
assert "unix socket" in e[0].get("via", ""), e
PY
exit 0
