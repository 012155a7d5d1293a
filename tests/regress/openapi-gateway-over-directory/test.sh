# A client's copy of an API (full-stack-fastapi-template's frontend/openapi.json, the input of the
# frontend's API-client generator) was linked to the frontend by its directory although the
# frontend's own nginx sends /api to the backend: all 36 operations landed on a static nginx. A
# gateway routing the spec's paths decides before the spec's place does.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
eps = [n for n in d["model"]["nodes"] if n["kind"] == "endpoint"]
assert eps, "no endpoints"
for n in eps:
    assert n["id"].startswith("endpoint:compose:default/backend/"), n["id"]
    assert "routed by" in n["linked_by"], n["linked_by"]
PY
exit 0
