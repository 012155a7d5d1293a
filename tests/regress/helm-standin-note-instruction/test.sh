#!/usr/bin/env bash
# Helm trial (bitnami/wordpress's shape): the note on templates that stood in for dependencies not
# vendored listed them before its instruction and was cut at 511 bytes mid-word, losing "vendor the
# dependencies (helm dependency build) and scan again". The instruction now comes first, the lists
# are cut at a name, and memcached (switched off by its condition) is not among the missing.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/chart" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
n = [x["message"] for x in d["diagnostics"] if "stood in" in x["message"]]
assert len(n) == 1, d["diagnostics"]
m = n[0]
assert "vendor the dependencies (helm dependency build) and scan again" in m, m
assert m.endswith(")"), m
assert "(mariadb, common)" in m, m
PY
exit 0
