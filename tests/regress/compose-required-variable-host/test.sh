# compose's required variable with a message, ${DOMAIN?Variable not set}, was kept as written when
# unset: a Traefik Host() rule holding it split on its spaces into three hosts
# ("api.${DOMAIN?Variable", "not", "set}"; full-stack-fastapi-template). It stays the variable.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
hosts = [h for e in d["model"]["edges"] for h in e.get("hosts", [])]
assert hosts and all(" " not in h and "Variable" not in h for h in hosts), hosts
assert "api.${DOMAIN}" in hosts, hosts
PY
exit 0
