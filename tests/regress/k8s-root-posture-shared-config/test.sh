# Bank of Anthos and Kubeflow, tried as a new user: (1) TM-CTR-002 said "or nothing prevents it (no
# runAsNonRoot), with privilege escalation allowed" and reported only an explicit UID 0; (2)
# TM-CTR-005's title said "writable root filesystem or no resource limits" whichever it was; (3) an
# OAuth client-id in a Secret was a high "committed" credential; (4) a workload given a whole shared
# ConfigMap (envFrom) drew a call to every address in it, shown like a variable it names; (5) an
# AuthorizationPolicy naming istio-system, the mesh's root namespace, was said to name a namespace
# that does not exist.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["findings"]
root = [x for x in f if x["rule"] == "TM-CTR-002"]
assert len(root) == 1 and root[0]["severity"] == "low", [(x["severity"], x["title"]) for x in root]
assert "ledgerwriter: may run as root, with privilege escalation allowed" in root[0]["title"], root[0]["title"]
assert "balancereader" not in root[0]["title"] and "contacts" not in root[0]["title"], root[0]["title"]
posture = {a["node"].split("/")[-1]: a["title"] for x in f if x["rule"] == "TM-CTR-005" for a in x.get("affected") or [x]}
assert posture.get("contacts", "").startswith("service:bank/contacts: no resource limits ("), posture
assert posture.get("balancereader", "").startswith("service:bank/balancereader: writable root filesystem and no resource limits"), posture
assert "ledgerwriter" not in posture, ("limits and a read-only root: nothing to say", posture)
sec3 = [x for x in f if x["rule"] == "TM-SEC-003"]
assert len(sec3) == 1 and "'client-secret'" in sec3[0]["title"], ("an OAuth client-id is public", [x["title"] for x in sec3])
calls = {(e["from"].split("/")[-1], e["to"].split("/")[-1]): e for e in d["model"]["edges"] if e["kind"] == "calls"}
assert calls[("ledgerwriter", "contacts")].get("env_from") == ["ConfigMap service-api-config"], calls[("ledgerwriter", "contacts")]
assert not any("istio-system" in x["message"] and "matches no namespace" in x["message"] for x in d["diagnostics"]), d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
grep -q 'given whole by `ConfigMap service-api-config`' "$WORK/out" || fail "the calls table does not say the ConfigMap was given whole"
