# A secret kept in a ConfigMap under a neutral key and taken into the environment under a
# credential's name (SPECIAL_K8S_SECRET, DB_PASSWORD; trial T4, OWASP WrongSecrets' challenge 5) was
# no finding: only a credential-named ConfigMap key counted. The name the workload takes it under
# counts too: one TM-SEC-001 for the value, citing the ConfigMap's line; a plain setting stays none.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "TM-SEC-001"]
members = [a["node"] for x in f for a in x.get("affected", [])] or [x["subject"] for x in f]
assert members == ["secret:k8s:default/app-settings#funny.entry"], members
assert f[0]["evidence"][0]["line"] == 5, f[0]["evidence"]
PY
exit 0
