# Google Cloud Endpoints' JWT validation (oauth2, flow implicit, x-google-issuer, x-google-jwks_uri)
# was read as the OAuth implicit flow: TM-API-012 "accepts the OAuth implicit flow". It is a JWT the
# proxy validates: authn jwt, no TM-API-012; the API key in the query string still is one.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
eps = {n["path"]: n for n in d["model"]["nodes"] if n["kind"] == "endpoint"}
for p in ("/auth/info/googleidtoken", "/auth/info/firebase"):
    assert eps[p]["authn"] == "jwt", eps[p]
    assert not any("implicit" in s for s in eps[p]["auth_schemes"]), eps[p]
w = [x for x in d["findings"] if x["rule"] == "TM-API-012"]
assert len(w) == 1 and "/echo" in w[0]["title"] and "query string" in w[0]["title"], w
PY
exit 0
