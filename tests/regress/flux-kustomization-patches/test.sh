# A Flux Kustomization's spec.patches (fluxcd/flux2-kustomize-helm-example patches each cluster's
# apps this way) were not applied, only noted: a cluster that patched its Service to LoadBalancer
# and its container to privileged showed the Service "cluster"-reachable and nothing privileged.
# They are now applied as kustomize-controller does (before the targetNamespace and postBuild), to
# that cluster's copy alone; a patch that matches nothing is said; v1beta2's patchesStrategicMerge
# too; a broken patch text is a located diagnostic and the scan goes on.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert [s["name"] for s in d["systems"]] == ["in: clusters/prod", "in: clusters/staging"], d["systems"]
assert d["exposure"].get("service:web/web") == "internet", d["exposure"]
by = {f["rule"]: f for f in d["findings"]}
assert by["TM-CTR-001"].get("variants") == ["clusters/prod"], by.get("TM-CTR-001")
assert by["TM-MESH-004"].get("variants") == ["clusters/prod"], by.get("TM-MESH-004")
ev = json.dumps(by["TM-MESH-004"])
assert "clusters/prod/apps.yaml" in ev, ev
notes = [x for x in d["diagnostics"] if "matches none" in x["message"]]
assert len(notes) == 1 and notes[0]["path"] == "clusters/prod/apps.yaml" and notes[0]["line"] == 37, notes
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache --system clusters/staging
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "staging (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exposure"].get("service:web/web") == "cluster", d["exposure"]
assert not [f for f in d["findings"] if f["rule"] in ("TM-CTR-001", "TM-MESH-004")], d["findings"]
PY
# v1beta2's patchesStrategicMerge, on plain manifests (no kustomization at the path)
run_bounded 60 "$TRUSTMAP" scan "$CASE/plain" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "patchesStrategicMerge (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exposure"].get("service:api/api") == "internet", d["exposure"]
assert not [x for x in d["diagnostics"] if "patch" in x["message"] and "not applied" in x["message"]], d["diagnostics"]
PY
# a patch whose text is not YAML: a diagnostic at the Kustomization, the rest applied
mkdir -p "$WORK/bad"
cp -r "$CASE/in/." "$WORK/bad/"
python3 - "$WORK/bad/clusters/prod/apps.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace("          value: edge", "          value: [edge")
open(p, "w").write(s)
PY
run_bounded 60 "$TRUSTMAP" scan "$WORK/bad" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "broken patch (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exposure"].get("service:web/web") == "internet", d["exposure"]
bad = [x for x in d["diagnostics"] if x["path"] == "clusters/prod/apps.yaml" and x["severity"] == "error"]
assert len(bad) == 1 and bad[0]["line"] >= 34, d["diagnostics"]
PY
exit 0
