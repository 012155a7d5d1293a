# A Secret holding a whole configuration file (grafana.ini with a time zone, a data-source list
# with a URL and no password) was TM-SEC-003 high, "rotate the credential now", and a crown jewel
# in the blast radius, though the file holds no credential; a ConfigMap holding the same text is
# judged line by line. A Secret's configuration-file value (a key of a configuration format) is now
# judged the same way: reported only when a line hands out a credential.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
hit = {m["node"] for m in regress.members(regress.findings(sys.argv[1]), "TM-SEC-003")}
assert hit == {"secret:k8s:ops/alerts-config"}, hit
PY
