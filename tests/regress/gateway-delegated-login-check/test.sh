# A route whose check the gateway hands to another service (nginx auth_request, ingress-nginx
# auth-url, Traefik forwardAuth, Envoy ext_authz) was answered "ALLOW (200) ... decided by: defaults"
# for an anonymous internet caller, and a sibling route to the same backend without the check was
# no TM-MESH-002. The query now says UNKNOWN, decided by the gateway, naming the check (a valid
# token, asked for, passes), and TM-MESH-002 reports the unchecked route.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can internet billing --path /api/invoices "$CASE/in" --no-store --format json
expect_exit 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["unknown"] and not v["allowed"], v
assert "auth_request" in json.dumps(v["steps"]), v["steps"]
PY
run_bounded 60 "$TRUSTMAP" query can internet billing --path /api/invoices --token valid "$CASE/in" --no-store --format json
expect_exit 0
python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert v["allowed"], v' "$WORK/out" || fail "a valid token passes"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "TM-MESH-002"]
assert len(f) == 1 and "/reports/" in f[0]["title"] and "login service" in f[0]["title"], [x["title"] for x in f]
PY
