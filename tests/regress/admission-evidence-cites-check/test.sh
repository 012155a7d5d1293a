# Evidence pointed at the wrong line (the shape of kubernetes/website's podsecurity-restricted.yaml and
# example-baseline-pod.yaml: a JSON-flow Namespace enforcing restricted, a bare Pod): TM-ID-003's only evidence was the namespace's
# pod-security.kubernetes.io/enforce label, unrelated to token mounting, and TM-CTR-002 (may run as
# root) cited the Pod Security check about capabilities. The workload's own manifest is its
# evidence, and a finding cites the admission check about what it reports.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
by = {x["rule"]: x for x in d["findings"]}
tok = by["TM-ID-003"]
assert tok["evidence"] and all(e["path"] == "example-baseline-pod.yaml" for e in tok["evidence"]), tok["evidence"]
root = by["TM-CTR-002"]
psa = [p for p in root["priority_factors"] if p.startswith("admission:")]
assert len(psa) == 1 and ("may run as root" in psa[0] or "privilege escalation" in psa[0]), root["priority_factors"]
assert "capabilities" not in psa[0], psa
assert all(e["path"] == "example-baseline-pod.yaml" for e in root["evidence"]), root["evidence"]
caps = [x for x in d["findings"] if x["rule"] == "TM-CTR-003"]
for x in caps:
    psa = [p for p in x["priority_factors"] if p.startswith("admission:")]
    assert all("capabilities" in p for p in psa), psa
PY
exit 0
