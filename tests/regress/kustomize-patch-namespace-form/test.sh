#!/usr/bin/env bash
# emojivoto trial: kustomize/statefulset lists `patches: - service-name.yml` (a bare path,
# patchesStrategicMerge's form, which kustomize 5 refuses) holding patches with no namespace for
# Deployments written in namespace emojivoto, which kustomize does not match ("no matches for Id
# Deployment.v1.apps/emoji.[noNs]"). The renderer applied both silently, and the variant became the
# primary system. The bare path is now a warning and a patch naming no namespace takes only an
# object of "default" or one a namespace transformer placed (written without one), as kustomize's ids do.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/bare" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
m = [(x["severity"], x["message"]) for x in d["diagnostics"]]
assert any(s == "warning" and "is a bare path" in t for s, t in m), m
assert any(s == "error" and "patch target Deployment web not found" in t for s, t in m), m
assert not [f for f in d["findings"] if f["rule"] == "TM-CTR-001"], "the patch was applied"
PY
# written without a namespace and placed by the base's namespace: the patch takes it
run_bounded 60 "$TRUSTMAP" scan "$CASE/placed" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [x for x in d["diagnostics"] if x["severity"] != "note"], d["diagnostics"]
assert [f for f in d["findings"] if f["rule"] == "TM-CTR-001"], "the patch was not applied"
PY
exit 0
