# Findings on a docker-compose project gave Kubernetes advice: "enforce the restricted Pod Security
# Standard", a `securityContext:` snippet, "reference it with secretKeyRef", "Use ClusterIP ...
# loadBalancerSourceRanges", detection in "Kubernetes audit" logs of "the pods" (awesome-compose,
# gomall, every compose project). A finding on a compose service, store or secret now says what to
# change in the compose file (`privileged: false`, `cap_drop`, `read_only`, `127.0.0.1:` ports, a
# `secrets:` file) and where to look (`docker events`).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "Kubernetes advice on compose findings (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
kube = ("securityContext", "Pod Security", "secretKeyRef", "loadBalancerSourceRanges", "Kubernetes audit",
        "readOnlyRootFilesystem", "AuthorizationPolicy", "for the pods of")
bad = []
rules = set()
for f in j["findings"]:
    rules.add(f["rule"])
    said = [f["action"]["text"] or ""] + (f["action"].get("detect") or []) + [f["action"].get("snippet") or ""]
    for k in kube:
        if any(k in s for s in said):
            bad.append("%s: says %r: %s" % (f["rule"], k, [s[:120] for s in said if k in s]))
for r in ("TM-CTR-001", "TM-CTR-003", "TM-SEC-001", "TM-MESH-004", "TM-CTR-005"):
    if r not in rules:
        bad.append("%s did not fire: the case no longer covers it" % r)
ctr = [f for f in j["findings"] if f["rule"] == "TM-CTR-001"]
if ctr and "privileged: false" not in (ctr[0]["action"].get("snippet") or ""):
    bad.append("TM-CTR-001's guardrail is not compose's: %r" % ctr[0]["action"].get("snippet"))
if ctr and not any("docker events" in d for d in ctr[0]["action"].get("detect") or []):
    bad.append("TM-CTR-001's detection does not name docker events: %s" % ctr[0]["action"].get("detect"))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
