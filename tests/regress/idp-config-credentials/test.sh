# Credentials written in an identity proxy's or identity provider's own configuration were not read:
# oauth2-proxy's .cfg (TOML `key = "value"` lines, bind-mounted by its compose service) was an
# "other file", and Authelia's configuration.yml and a Keycloak realm export were skipped as "no
# recognised document", although the same oauth2-proxy text in a ConfigMap was TM-SEC-006. They are
# now read as configuration files (oauth2-proxy's by its name, the others by their shape), their
# written credentials reported as a ConfigMap's are; templates, masked values, empty strings and
# look-alike files (a "realm" without clients or users, session/storage without Authelia's
# authentication_backend) are not.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
kinds = {i["path"]: i["kind"] for i in d["inputs"]}
for p in ("proxy/oauth2-proxy-sso.cfg", "authelia/config/configuration.yml", "keycloak/realm-export.json"):
    assert kinds.get(p) == "app-config", (p, kinds)
skipped = {s["path"] for s in d["skipped"]}
assert {"other/tenants.json", "other/cache.yaml"} <= skipped, d["skipped"]
keys = {n["id"]: sorted(n.get("keys", [])) for n in d["model"]["nodes"] if n["id"].startswith("secret:config:")}
assert keys == {
    "secret:config:proxy/oauth2-proxy-sso.cfg": ["client_secret", "cookie_secret"],
    "secret:config:authelia/config/configuration.yml":
        ["jwt_secret", "notifier.smtp.password", "session.secret", "storage.encryption_key"],
    "secret:config:keycloak/realm-export.json": ["clients[0].secret", "users[0].credentials[0].value"],
}, keys
sec6 = [f for f in d["findings"] if f["rule"] == "TM-SEC-006"]
assert len(sec6) == 1 and len(sec6[0]["affected"]) == 8, [f["title"] for f in sec6]
# values are never copied into the report
text = open(sys.argv[1]).read()
for v in ("Zq81mVtB4wL0sKx7RrP2nHc9", "Sm7pRel4yPw", "Al1ce-Wonder"):
    assert v not in text, v
PY
exit 0
