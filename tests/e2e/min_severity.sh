#!/usr/bin/env bash
# --min-severity filters what a report shows and what the gate judges, never what the register
# records: a scan filtered to critical leaves the lower findings present (not resolved) in the register.
# usage: min_severity.sh TRUSTMAP SOURCE_DIR
set -euo pipefail
tm="$1"; src="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
store="sqlite:$work/reg.db"
fail() { echo "FAIL: $*"; exit 1; }

"$tm" scan "$src/examples/shop" --store "$store" --format json -o "$work/all.json" 2>/dev/null || true
"$tm" scan "$src/examples/shop" --store "$store" --min-severity critical --format json -o "$work/crit.json" 2>/dev/null || true
python3 - "$work/all.json" "$work/crit.json" <<'PY' || exit 1
import json, sys
a = json.load(open(sys.argv[1]))["findings"]
c = json.load(open(sys.argv[2]))["findings"]
assert a and c, "both reports have findings"
assert all(f["severity"] == "critical" for f in c), "only critical shown: %s" % sorted({f["severity"] for f in c})
assert len(c) == sum(1 for f in a if f["severity"] == "critical"), "every critical kept"
PY
# (into a file: grep -q closing the pipe early would kill the writer under pipefail)
"$tm" scan "$src/examples/shop" --store "$store" --min-severity critical --format md -o "$work/crit.md" 2>/dev/null || true
grep -q "findings below critical are not shown" "$work/crit.md" || fail "the Markdown says how many it left out"
# the register still holds the lower findings in the latest run, none resolved
"$tm" findings "$src/examples/shop" --store "$store" --status resolved --format json > "$work/resolved.json" 2>/dev/null || true
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); n=len(d["findings"] if isinstance(d,dict) else d); sys.exit(0 if n==0 else 1)' "$work/resolved.json" \
  || fail "filtering the report resolved findings in the register: $(head -c 300 "$work/resolved.json")"
# the gate judges what is shown: the criticals are shown, so --fail-on critical still fails
set +e
"$tm" scan "$src/examples/shop" --store "$store" --min-severity critical --fail-on critical -o /dev/null 2>/dev/null; rc=$?
set -e
[ "$rc" = 1 ] || fail "--fail-on critical still fails on the shown criticals (rc=$rc)"
echo "min-severity: ok"
