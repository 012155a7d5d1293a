# Services that share a store's socket directory call the store, but only when the host side was
# written plainly: a host path with a default (`${DATA_DIR:-./data}/mysql-socket`, as mailcow and
# many self-hosted apps write it) was split at the colon inside `${...:-...}`, so php-fpm's and
# dovecot's calls to MariaDB through its socket were missing. The source is read interpolated, as
# the volume itself is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"].split("/")[-1], e["to"].split("/")[-1]) for e in d["model"]["edges"] if e["kind"] == "calls"}
assert ("php-fpm", "mysql") in calls and ("dovecot", "mysql") in calls, sorted(calls)
PY
exit 0
