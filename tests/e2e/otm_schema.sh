#!/usr/bin/env bash
# Open Threat Model export and import, as a user runs them:
#  - `scan --format otm` of the example and of every golden report case validates against the published
#    OTM 0.2.0 JSON schema (tests/otm/otm_schema.json, checked with the ajv that tests/sarif installs);
#  - the export says what the model says (zones, components, dataflows, threats, mitigations), and
#    says it the same way twice;
#  - export, `import otm`, export again keeps the trust zones, components and dataflows;
#  - `import otm` on bad input: positioned diagnostics and the documented exit codes, never a crash.
# usage: otm_schema.sh TRUSTMAP_BINARY SOURCE_DIR
set -uo pipefail
tm="$1"; src="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export TRUSTMAP_STORE=none # no register written into the source tree
fails=0; passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
if [ ! -d "$src/tests/sarif/node_modules/ajv" ] || ! command -v node >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
  echo "the OTM schema check needs node, python3 and tests/sarif/node_modules: run scripts/install-deps.sh" >&2
  exit 1
fi

# 1. every export validates against the published schema
files=()
"$tm" scan "$src/examples/shop" --format otm -o "$tmp/example.otm.json" 2>/dev/null && files+=("$tmp/example.otm.json")
for d in "$src"/tests/golden/report/*/input; do
  name=$(echo "${d#$src/tests/golden/}" | tr '/' '_')
  "$tm" scan "$d" --format otm -o "$tmp/$name.otm.json" 2>/dev/null && files+=("$tmp/$name.otm.json")
done
[ ${#files[@]} -gt 10 ] && ok || bad "too few OTM files written (${#files[@]})"
if node "$src/tests/otm/validate.js" "${files[@]}" >"$tmp/validate.txt"; then ok; else bad "schema validation"; fi
grep -v '^ok:' "$tmp/validate.txt" >&2

# 2. the export says what the model says, deterministically
"$tm" scan "$src/examples/shop" --format otm -o "$tmp/again.otm.json" 2>/dev/null
cmp -s "$tmp/example.otm.json" "$tmp/again.otm.json" && ok || bad "two exports of the example differ"
"$tm" scan "$src/examples/shop" --format json -o "$tmp/example.json" 2>/dev/null
if python3 - "$tmp/example.json" "$tmp/example.otm.json" <<'EOF'; then ok; else bad "mapping facts of the example"; fi
import json, sys
rep, otm = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
m = rep["model"]
problems = []
def check(cond, what):
    if not cond:
        problems.append(what)
check(otm["otmVersion"] == "0.2.0", "otmVersion")
check(otm["project"]["name"] == "shop" and otm["project"]["id"] == "shop", "project name and id")
zones = {z["id"]: z for z in otm["trustZones"]}
for b in m["boundaries"]:
    z = zones.get(b["id"])
    check(z is not None, f"boundary {b['id']} has a trust zone")
    if z:
        check(z["name"] == b["name"] and z["type"] == b["kind"], f"zone {b['id']} name and type")
        check((z.get("parent") or {}).get("trustZone") == b["parent"], f"zone {b['id']} parent")
rating = {z["type"]: z["risk"]["trustRating"] for z in otm["trustZones"] if "type" in z}
check(rating["internet"] < rating["partner"] < rating["cluster"] < rating["namespace"], "trust ratings: internet lowest")
comps = {c["id"]: c for c in otm["components"]}
check(len(comps) == len(m["nodes"]), "one component per node")
for n in m["nodes"]:
    c = comps.get(n["id"])
    check(c is not None, f"node {n['id']} has a component")
    if not c:
        continue
    check(c["name"] == n["name"] and c["type"] == n["kind"], f"component {n['id']} name and type")
    check(c["attributes"]["trustmap.id"] == n["id"] and (c["attributes"]["trustmap.boundary"] or None) == n["boundary"],
          f"component {n['id']} attributes")
    parent = c["parent"]
    if n["kind"] == "endpoint" and n.get("service") in comps:
        check(parent == {"component": n["service"]}, f"endpoint {n['id']} inside its service")
    elif n["boundary"] is None:  # no boundary the inputs say (a configuration file): the unzoned zone
        check(parent == {"trustZone": "trustmap:unzoned"} and "type" not in zones.get("trustmap:unzoned", {"type": 0}),
              f"component {n['id']} in the unzoned zone")
    else:
        check(parent == {"trustZone": n["boundary"]}, f"component {n['id']} in its boundary's zone")
    if n.get("namespace"):
        check(c["attributes"].get("namespace") == n["namespace"], f"component {n['id']} namespace")
    for ev in n["evidence"][:1]:
        check(f"{ev['path']}:{ev['line']}:{ev['column']}" in c["attributes"]["trustmap.evidence"],
              f"component {n['id']} evidence")
        check(any(r["file"] == ev["path"] and r.get("line") == ev["line"] for r in c["representations"]),
              f"component {n['id']} code representation")
flows = {(f["source"], f["destination"], f["attributes"]["trustmap.kind"]): f for f in otm["dataflows"]}
check(len(flows) == len(m["edges"]) == len(otm["dataflows"]), "one dataflow per edge")
for e in m["edges"]:
    f = flows.get((e["from"], e["to"], e["kind"]))
    check(f is not None, f"edge {e['from']} -> {e['to']} has a dataflow")
    if f:
        check(e["kind"] in f["tags"] and f"authn:{e['authn']}" in f["tags"] and f"authz:{e['authz']}" in f["tags"],
              f"dataflow tags of {e['from']} -> {e['to']}")
        check(f["source"] in comps and f["destination"] in comps, "dataflow between exported components")
threats = {t["id"]: t for t in otm["threats"]}
mitigations = {x["id"]: x for x in otm["mitigations"]}
check(len(threats) == len({f["fingerprint"] for f in rep["findings"]}), "one threat per finding")
stride = {"spoofing": "Spoofing", "tampering": "Tampering", "repudiation": "Repudiation",
          "information-disclosure": "Information Disclosure", "denial-of-service": "Denial of Service",
          "elevation-of-privilege": "Elevation of Privilege"}
states = {"open": "EXPOSED", "mitigated": "MITIGATED", "accepted": "ACCEPTED", "false-positive": "NOT_APPLICABLE"}
instances = {}
for c in otm["components"]:
    for t in c.get("threats") or []:
        instances[t["threat"]] = (c["id"], t)
for f in rep["findings"]:
    t = threats.get(f["fingerprint"])
    check(t is not None, f"finding {f['fingerprint']} is a threat")
    if not t:
        continue
    check(t["name"] == f["title"], f"threat {f['fingerprint']} name")
    check(t["categories"] == [stride[s] for s in f["stride"]], f"threat {f['fingerprint']} categories")
    check(t["cwes"] == ([f["cwe"]] if f["cwe"] else []), f"threat {f['fingerprint']} cwes")
    check(0 <= t["risk"]["likelihood"] <= 100 and 0 <= t["risk"]["impact"] <= 100, f"threat {f['fingerprint']} risk range")
    where, inst = instances.get(f["fingerprint"], (None, None))
    # a folded finding's subject is its shared cause (a namespace): the threat sits on its first member
    check(where == f["subject"] or (f.get("affected") and where == f["path"][0]),
          f"threat {f['fingerprint']} referenced from its subject's component")
    if inst:
        check(inst["state"] == states[f["status"]], f"threat {f['fingerprint']} state")
        mids = [x["mitigation"] for x in inst["mitigations"]]
        check(len(mids) == 1 and mids[0] in mitigations, f"threat {f['fingerprint']} mitigation defined")
        if mids and mids[0] in mitigations:
            check(mitigations[mids[0]]["description"].startswith(f["action"]["text"]), f"mitigation of {f['fingerprint']}")
# the example accepts one risk in trustmap.yaml: its threat is ACCEPTED, not EXPOSED
check(any(i[1]["state"] == "ACCEPTED" for i in instances.values()) ==
      any(f["status"] == "accepted" for f in rep["findings"]), "accepted findings are ACCEPTED threats")
for p in problems[:20]:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF

# 3. round trip: export, import, export
cp "$tmp/example.otm.json" "$tmp/shop.otm.json"
"$tm" import otm "$tmp/shop.otm.json" --format otm -o "$tmp/second.otm.json" 2>"$tmp/import.err" && ok || bad "import of the export"
[ ! -s "$tmp/import.err" ] && ok || { bad "import of the export printed diagnostics"; head -5 "$tmp/import.err" >&2; }
node "$src/tests/otm/validate.js" "$tmp/second.otm.json" >/dev/null && ok || bad "second export validates"
if python3 - "$tmp/example.otm.json" "$tmp/second.otm.json" <<'EOF'; then ok; else bad "round trip keeps zones, components and dataflows"; fi
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
def zones(d): return sorted((z["id"], z["name"], z.get("type") or "", json.dumps(z.get("parent"), sort_keys=True)) for z in d["trustZones"])
def comps(d): return sorted((c["id"], c["name"], c["type"], json.dumps(c["parent"], sort_keys=True)) for c in d["components"])
def flows(d): return sorted((f["id"], f["source"], f["destination"], tuple(f["tags"])) for f in d["dataflows"])
bad = False
for fn in (zones, comps, flows):
    x, y = fn(a), fn(b)
    if x != y:
        bad = True
        print(f"  {fn.__name__}: {len(x)} before, {len(y)} after; lost {[i for i in x if i not in y][:3]}, "
              f"new {[i for i in y if i not in x][:3]}", file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
# the import's own report: json by default, md on request; the OTM threats are facts on their components
"$tm" import otm "$tmp/shop.otm.json" -o "$tmp/imported.json" 2>/dev/null && ok || bad "import to json"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["inputs"][0]["kind"] == "otm", d["inputs"]
facts = [f for n in d["model"]["nodes"] for f in n.get("facts", []) if f["key"] == "threats"]
assert facts and all(f["at"]["path"].endswith("shop.otm.json") and f["at"]["line"] > 0 for f in facts), facts[:2]
' "$tmp/imported.json" && ok || bad "imported threats are located facts"
"$tm" import otm "$tmp/shop.otm.json" --format md -o "$tmp/imported.md" 2>/dev/null && grep -q '^# Threat model: shop' "$tmp/imported.md" \
  && ok || bad "import to md"
# scan reads an OTM file among the other inputs
mkdir -p "$tmp/mixed" && cp "$tmp/shop.otm.json" "$tmp/mixed/model.otm.json"
"$tm" scan "$tmp/mixed" --format json -o "$tmp/mixed.json" 2>/dev/null && grep -q '"kind": "otm"' "$tmp/mixed.json" && ok || bad "scan DIR reads .otm.json"

# 4. bad input: exit codes and positioned diagnostics, never a crash
"$tm" import otm "$src/tests/golden/report/otm/input/broken.otm.yaml" -o "$tmp/broken.json" 2>"$tmp/broken.err"
[ $? -eq 0 ] && ok || bad "a document with mistakes is still read (exit 0)"
grep -q "broken.otm.yaml:70:18: warning: dataflow 'to-nowhere': destination 'ghost' is not a component of this document" "$tmp/broken.err" \
  && ok || { bad "positioned diagnostic for a dangling dataflow"; head -5 "$tmp/broken.err" >&2; }
"$tm" import otm "$src/examples/shop/k8s" 2>/dev/null; [ $? -eq 2 ] && ok || bad "a directory is a usage error"
"$tm" import otm "$tmp/missing.json" 2>/dev/null; [ $? -eq 3 ] && ok || bad "a missing file exits 3"
"$tm" import otm 2>/dev/null; [ $? -eq 2 ] && ok || bad "no file is a usage error"
"$tm" import threatdragon "$tmp/shop.otm.json" 2>/dev/null; [ $? -eq 2 ] && ok || bad "an unknown source is a usage error"
"$tm" import otm "$tmp/shop.otm.json" --format xml 2>/dev/null; [ $? -eq 2 ] && ok || bad "an unknown format is a usage error"
ls "$src"/examples/shop/api/*.yaml >/dev/null 2>&1 && spec=$(ls "$src"/examples/shop/api/*.yaml | head -1) || spec=$(ls "$src"/examples/shop/api/* | head -1)
"$tm" import otm "$spec" 2>"$tmp/nototm.err"; rc=$?
[ $rc -eq 3 ] && grep -q "not an Open Threat Model document" "$tmp/nototm.err" && ok || bad "a non-OTM file exits 3 with a reason (rc=$rc)"
printf '{"otmVersion": "7.0.0", "project": {"name": "x", "id": "x"}}' >"$tmp/v7.otm.json"
"$tm" import otm "$tmp/v7.otm.json" 2>"$tmp/v7.err"; rc=$?
[ $rc -eq 3 ] && grep -q "versions other than 0.x" "$tmp/v7.err" && ok || bad "an unknown OTM major version exits 3 (rc=$rc)"
printf '{"otmVersion": "0.2.0", "project": {"name": "x", "id": "x"}, "components": [{"id": "a"' >"$tmp/cut.otm.json"
"$tm" import otm "$tmp/cut.otm.json" 2>"$tmp/cut.err"; rc=$?
[ $rc -eq 3 ] && grep -Eq "cut.otm.json:[0-9]+:[0-9]+: error" "$tmp/cut.err" && ok || bad "truncated JSON exits 3 with a position (rc=$rc)"
# hostile documents: deep, wide, a loop of parents; each bounded in time, no signal
python3 - "$tmp" <<'EOF'
import json, sys
d = sys.argv[1]
deep = '{"a": ' * 2000 + '1' + '}' * 2000
open(f"{d}/deep.otm.json", "w").write('{"otmVersion": "0.2.0", "project": {"name": "d", "id": "d", "attributes": %s}}\n' % deep)
n = 30000
comps = [{"id": f"c{i}", "name": "c", "type": "service", "parent": {"component": f"c{(i + 1) % n}"}} for i in range(n)]
flows = [{"id": f"f{i}", "name": "f", "source": f"c{i}", "destination": f"c{(i * 7) % n}"} for i in range(n)]
json.dump({"otmVersion": "0.2.0", "project": {"name": "w", "id": "w"}, "components": comps, "dataflows": flows,
           "trustZones": [{"id": f"z{i}", "name": "z", "risk": {"trustRating": 50}, "parent": {"trustZone": f"z{(i + 1) % 500}"}}
                          for i in range(500)]}, open(f"{d}/wide.otm.json", "w"))
EOF
for f in deep wide; do
  timeout 60 "$tm" import otm "$tmp/$f.otm.json" -o "$tmp/$f.json" 2>"$tmp/$f.err"; rc=$?
  [ $rc -eq 0 ] || [ $rc -eq 3 ] && ok || bad "hostile $f document: exit $rc"
  # a line past 64 KiB is read through jansson: places are JSON pointers (FILE#/components/7/parent)
  grep -Eq "$f.otm.json(:[0-9]+:[0-9]+|#/[^:]*): (warning|error)" "$tmp/$f.err" && ok || bad "hostile $f document: no positioned diagnostic"
done

echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
