#!/usr/bin/env bash
# SARIF output validates against the SARIF 2.1.0 JSON schema (ajv, from tests/sarif: see install-deps.sh).
# usage: sarif_schema.sh TRUSTMAP_BINARY SOURCE_DIR
set -uo pipefail
tm="$1"; src="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export TRUSTMAP_STORE=none # no register written into the source tree
if [ ! -d "$src/tests/sarif/node_modules/ajv-draft-04" ] || ! command -v node >/dev/null 2>&1; then
  echo "the SARIF schema check is not installed: run scripts/install-deps.sh" >&2
  exit 1
fi
files=()
"$tm" scan "$src/examples/shop" --format sarif -o "$tmp/example.sarif" 2>/dev/null && files+=("$tmp/example.sarif")
for d in "$src"/tests/golden/report/*/input "$src"/tests/golden/rules/*/fire; do
  name=$(echo "${d#$src/tests/golden/}" | tr '/' '_')
  "$tm" scan "$d" --format sarif -o "$tmp/$name.sarif" 2>/dev/null && files+=("$tmp/$name.sarif")
done
[ ${#files[@]} -gt 40 ] || { echo "too few SARIF files written (${#files[@]})" >&2; exit 1; }
node "$src/tests/sarif/validate.js" "${files[@]}" >"$tmp/out.txt"
rc=$?
grep -v '^ok:' "$tmp/out.txt"
echo "${#files[@]} SARIF logs checked against the SARIF 2.1.0 schema"
# code scanning shows a rule's severity: every result's level and security-severity are its descriptor's
python3 - "${files[@]}" <<'PY' || rc=1
import json, sys
bad = 0
for name in sys.argv[1:]:
    run = json.load(open(name))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    if len(ids) != len(set(ids)):
        print(f"{name}: duplicate descriptor ids"); bad += 1
    for r in run["results"]:
        d = rules[r["ruleIndex"]]
        if (d["id"] != r["ruleId"] or d["defaultConfiguration"]["level"] != r["level"]
                or d["properties"]["security-severity"] != r["properties"]["security-severity"]):
            print(f"{name}: {r['ruleId']} {r['level']} {r['properties']['security-severity']} disagrees with "
                  f"descriptor {d['id']} {d['defaultConfiguration']['level']} {d['properties']['security-severity']}")
            bad += 1
print(f"{len(sys.argv) - 1} SARIF logs: results agree with their descriptors" if not bad else f"{bad} disagreements")
sys.exit(1 if bad else 0)
PY
exit $rc
