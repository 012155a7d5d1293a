# microservices-demo's non-public-frontend component wrote its inline patch as a bare string under
# `patches:`. It was read as a file name ("cannot read .../apiVersion: v1\nkind: Service..."), the
# warning told the user to write `- path: <the YAML>`, and frontend-external stayed an internet entry
# point. A bare string that is a patch is applied as patchesStrategicMerge applies it, and the warning
# says kustomize 5 refuses the form and to write `- patch: |-`.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
m = [(x["severity"], x["message"]) for x in d["diagnostics"]]
assert any(s == "warning" and "patch written as a bare string" in t and "- patch: |-" in t for s, t in m), m
assert not [t for s, t in m if s == "error"], m
ids = {n["id"] for n in d["model"]["nodes"]}
assert "service:default/frontend-external" not in ids, "the $patch: delete was not applied"
PY
exit 0
