#!/usr/bin/env bash
# The real corpus end to end: every system under ../shared/corpus (or CORPUS) scanned as a user would
# (`trustmap scan DIR --format json`), with its kustomizations and charts rendered. Prints, per
# corpus directory: files walked, systems found (deployment variants: kustomization roots, charts,
# compose projects, manifest directories), inputs and findings of the primary system, wall time and
# peak RSS; then the totals. Rendering is on the scan
# path, so this is where its cost shows (docs/performance.md records results).
# usage: bench/corpus.sh [BUILD_DIR] [CORPUS]
set -euo pipefail
build="${1:-build}"
corpus="${2:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
[ -d "$corpus" ] || { echo "bench/corpus.sh: no corpus at $corpus" >&2; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf '%-20s %6s %7s %7s %8s %7s %8s\n' corpus files systems inputs findings wall_s peak_MB
tot_wall=0; tot_files=0
for dir in "$corpus"/*/; do
  name=$(basename "$dir")
  [ "$name" = _derived ] && continue
  files=$(find "$dir" -type f | wc -l)
  /usr/bin/time -f "%e %M" -o "$work/time" "$build/trustmap" scan "$dir" --no-store -q -f json -o "$work/r.json" \
    2>/dev/null || true
  read -r wall rss <"$work/time"
  python3 - "$work/r.json" >"$work/row" <<'PY'
import json, sys
try:
    j = json.load(open(sys.argv[1]))
except Exception:
    print("? ? ?"); sys.exit(0)
print(len(j["systems"]), len(j["inputs"]), len(j["findings"]))
PY
  read -r systems inputs findings <"$work/row"
  printf '%-20s %6s %7s %7s %8s %7s %8.0f\n' "$name" "$files" "$systems" "$inputs" "$findings" "$wall" \
    "$(echo "$rss/1024" | bc -l)"
  tot_wall=$(echo "$tot_wall+$wall" | bc -l); tot_files=$((tot_files + files))
done
printf '%-20s %6s %7s %7s %8s %7.2f\n' total "$tot_files" "" "" "" "$tot_wall"
