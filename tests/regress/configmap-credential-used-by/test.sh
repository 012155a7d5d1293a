# bank-of-anthos' services take accounts-db-config whole (envFrom configMapRef), and it holds
# POSTGRES_PASSWORD. The ConfigMap's credential was a secret node (TM-SEC-001) that nobody used:
# "used by -", and the blast radius of contacts counted no secret. A workload taking a ConfigMap's
# credential into its environment (envFrom, or env configMapKeyRef) uses and holds it now.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
s = [n for n in d["model"]["nodes"] if n["id"] == "secret:k8s:default/db-config#POSTGRES_PASSWORD"]
assert s and s[0].get("used_by") == ["service:default/contacts"], s
e = [x for x in d["model"]["edges"] if x["to"] == s[0]["id"] and x["kind"] == "mounts"]
assert e and e[0]["from"] == "service:default/contacts", e
PY
exit 0
