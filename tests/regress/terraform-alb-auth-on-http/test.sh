# An ALB authenticate-cognito (or -oidc) action on a plain HTTP listener was counted as a login
# (the route's authn oauth2). AWS accepts authenticate actions on HTTPS listeners only: the files
# cannot be applied as written, so the login is not counted, and a note says why.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = [e for e in d["model"]["edges"] if e["to"] == "service:ecs:shop/web" and e["kind"] == "routes"]
assert e and all(x.get("authn") == "none" for x in e), e
n = [x for x in d["diagnostics"] if "authenticate actions on HTTPS listeners only" in x["message"]]
assert n and n[0]["line"] == 17, d["diagnostics"]
PY
exit 0
