# A volume of a Secret's public key alone (items: [{key: jwtRS256.key.pub}]) was read as the whole
# Secret: bank-of-anthos' internet-facing frontend got an attack path to the JWT signing key it
# never mounts. A mount whose items are all certificates or public keys holds nothing to steal; the
# workload mounting the whole Secret (beside a public item) still reaches it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "public-key mounts (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
m = {(e["from"], e["to"]): e for e in j["model"]["edges"] if e["kind"] == "mounts"}
fe = m.get(("service:bank/frontend", "secret:k8s:bank/jwt-key"), {})
if fe.get("public_only") != "true" or fe.get("keys") != ["jwtRS256.key.pub"]:
    bad.append("frontend's mount: %s" % fe)
if m.get(("service:bank/signer", "secret:k8s:bank/jwt-key"), {}).get("public_only", "absent") != "absent":
    bad.append("signer's whole mount: %s" % m.get(("service:bank/signer", "secret:k8s:bank/jwt-key")))
paths = [f["title"] for f in j["findings"] if f["rule"] == "TM-PATH-001" and "jwt-key" in f["title"]]
if paths:
    bad.append("an attack path to the signing key through the frontend: %s" % paths)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
