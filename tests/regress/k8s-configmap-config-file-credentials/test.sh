# robot-shop: a ConfigMap holding a configuration file (my.cnf with password=superdba) was judged by
# its key's name only, so the password in it was missed while the same value in a Secret was high.
# Now a ConfigMap value of several lines is read as a properties file, each credential at the
# ConfigMap's own line; a placeholder is no credential. And a connection string counts as one only
# when it carries a password: a SQLite path or a Spanner resource name is not a credential.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
cfg = [n for n in d["model"]["nodes"] if n["id"].startswith("secret:config:")]
assert [n["id"] for n in cfg] == ["secret:config:config.yaml#my-cnf"], [n["id"] for n in cfg]
assert cfg[0]["keys"] == ["password"] and cfg[0]["evidence"][0]["line"] == 8, cfg[0]
lit = json.dumps([f for f in d["findings"] if f["rule"] == "TM-SEC-001"])
assert "ConnectionStrings__Orders" in lit and "STORAGE_CONNECTION_STRING" in lit, lit  # Password=, AccountKey=
assert any(n["id"] == "secret:k8s:shop/tls#key.pem" for n in d["model"]["nodes"]), "a private key in a ConfigMap is still one"
assert "ConnectionStrings__Catalog" not in lit and "SPANNER_CONNECTION_STRING" not in lit, lit
PY
