# bitnami/mariadb: `$secret := (lookup ...).data` holds nothing outside a cluster, and `hasKey $secret
# "k"` stopped the template ("wrong type for value; expected map[string]interface {}; got <nil>"), so
# the Secret with the database's passwords was missing from every WordPress scan. Go passes such a nil
# to a map parameter as a nil map: hasKey is false, and the template renders.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [g for g in d["diagnostics"] if g["severity"] == "error"], d["diagnostics"]
assert any(n["id"].startswith("secret:") and n["id"].endswith("/db") for n in d["model"]["nodes"]), [n["id"] for n in d["model"]["nodes"]]
PY
