#!/usr/bin/env bash
# Scale: synthetic estates of 500 / 1,000 / 2,000 / 5,000 services (bench/estate.py), scanned end to
# end. Prints, per size: files, MB, wall time (median of 3), peak RSS, findings, JSON report size,
# and the ratio to the libfyaml parse floor of the same bytes (bench_parse --fyaml-only).
# usage: bench/estate.sh [BUILD_DIR] [SIZES...]   (docs/performance.md records results)
set -euo pipefail
build="${1:-build}"; shift || true
if [ "$#" -gt 0 ]; then sizes=("$@"); else sizes=(500 1000 2000 5000); fi
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf '%-8s %6s %7s %9s %9s %9s %10s %7s\n' services files MB wall_s peak_MB findings json_MB floor_x
for n in "${sizes[@]}"; do
  dir="$work/est$n"
  python3 "$here/estate.py" "$n" "$dir"
  files=$(find "$dir" -type f | wc -l)
  bytes=$(find "$dir" -type f -exec cat {} + | wc -c)
  times=()
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$build/trustmap" scan "$dir" --no-store -f json -o "$work/r.json" 2>/dev/null || true
    times+=("$(cat "$work/time")")
  done
  wall=$(printf '%s\n' "${times[@]}" | awk '{print $1}' | sort -n | sed -n 2p)
  rss=$(printf '%s\n' "${times[@]}" | awk '{print $2}' | sort -n | sed -n 2p)
  findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/r.json")
  jsonmb=$(stat -c %s "$work/r.json")
  mapfile -t all < <(find "$dir" -type f \( -name '*.yaml' -o -name '*.json' \))
  floor=$("$build/bench/bench_parse" --fyaml-only "${all[@]}" 2>/dev/null | sed -n 's/^libfyaml events only: \([0-9.]*\) s.*/\1/p')
  ratio=$(python3 -c "import sys; f=float(sys.argv[2] or 0); print(f'{float(sys.argv[1])/f:.1f}' if f > 0 else '?')" "$wall" "${floor:-0}")
  printf '%-8s %6s %7.1f %9s %9.0f %9s %10.1f %7s\n' "$n" "$files" "$(echo "$bytes/1048576" | bc -l)" "$wall" \
    "$(echo "$rss/1024" | bc -l)" "$findings" "$(echo "$jsonmb/1048576" | bc -l)" "$ratio"
done
