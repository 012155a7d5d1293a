#!/usr/bin/env bash
# Helm trial (bitnami/wordpress): one dependency declared but not vendored, even one its condition
# switches off (memcached.enabled: false), made every undefined template of the chart tree a
# "stand-in": the chart's own web.fullname, which no file defines, rendered under an invented name
# and the note blamed memcached. A switched-off dependency defines nothing, and a loaded chart's
# own templates never stand in: the error is Helm's "no template".
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/chart" --format json --no-store --no-cache
expect_exit 0 1 3
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
msgs = [(x["severity"], x["message"]) for x in d["diagnostics"]]
assert any(s == "error" and 'no template "web.fullname"' in m for s, m in msgs), msgs
assert not any("stood in" in m for s, m in msgs), msgs
PY
exit 0
