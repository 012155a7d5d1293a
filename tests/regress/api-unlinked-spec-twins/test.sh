# An unlinked API generated twice (swag writes swagger.json and swagger.yaml from the same
# annotations) was two APIs: the second file's service named by its path, every operation and every
# finding twice (podinfo: two TM-API-001 criticals for one API). The same document in another file or
# syntax is now one API whose operations carry both files' places, with a note; a spec with the same
# title and other content (the next version) is still an API of its own. An operation two specs
# describe counts once in api_operations.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "twin specs (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in j["model"]["nodes"]}
bad = []
services = sorted(i for i, n in nodes.items() if n["kind"] == "service")
if services != ["service:api/ledger-api", "service:api/v2-swagger-yaml"]:
    bad.append("the twins and the next version should be two services: %s" % services)
one = nodes.get("service:api/ledger-api", {})
if one.get("api_specs") != ["docs/swagger.json", "docs/swagger.yaml"]:
    bad.append("api_specs %s" % one.get("api_specs"))
if one.get("api_operations") != 3:
    bad.append("api_operations %s, want 3 (each operation once)" % one.get("api_operations"))
eps = sorted(i for i, n in nodes.items() if n["kind"] == "endpoint" and n.get("service") == "service:api/ledger-api")
if eps != ["endpoint:api/ledger-api/DELETE /entries/{id}", "endpoint:api/ledger-api/GET /entries",
           "endpoint:api/ledger-api/POST /entries"]:
    bad.append("endpoints %s" % eps)
for e in eps:
    files = sorted({ev["path"] for ev in nodes[e]["evidence"]})
    if files != ["docs/swagger.json", "docs/swagger.yaml"]:
        bad.append("%s: evidence in %s, want both files" % (e, files))
titles = sorted(f["title"] for f in j["findings"] if f["rule"] == "TM-API-001")
if len([t for t in titles if "api/ledger-api" in t]) != 1 or any("swagger-yaml" in t for t in titles):
    bad.append("TM-API-001: one finding for the twins expected, got %s" % titles)
notes = [d for d in j["diagnostics"] if "also defined, identically" in d["message"]]
if len(notes) != 1 or notes[0]["path"] != "docs/swagger.yaml" or "docs/swagger.json:1" not in notes[0]["message"]:
    bad.append("the note naming both files: %s" % [d["message"] for d in j["diagnostics"]])
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
