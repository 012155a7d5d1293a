#!/usr/bin/env bash
# Scale: synthetic estates of 500 / 1,000 / 2,000 / 5,000 services (bench/estate.py), scanned end to
# end. Prints, per size: files, MB, wall time (median of 3) without the parse cache and with a warm
# one, peak RSS, findings, the JSON, SARIF and HTML reports' sizes, the ratio to the libfyaml parse
# floor of the same bytes (bench_parse --fyaml-only), and a one-service diff (one Deployment made
# privileged) with a warm cache, median of 3, with its peak RSS, and a diff against an unchanged copy
# (same_s: the sides have the same inputs, so one analysis serves both). First it prints how fast the machine
# hands out new memory (bench_memory): on a virtual machine that backs memory on first touch, that
# speed moves a 5,000-service run by seconds.
# LAYOUT=helm writes each namespace's services as a Helm chart, LAYOUT=compose as a docker-compose
# project (bench/estate.py --layout); the parse floor then counts the values and compose files, not
# the chart templates (which are rendered before anything is parsed). LAYOUT=gatewayapi routes every
# service through an HTTPRoute of its namespace's Gateway (no Ingress).
# usage: [LAYOUT=k8s|helm|compose|gatewayapi] bench/estate.sh [BUILD_DIR] [SIZES...]   (docs/performance.md records results)
set -euo pipefail
build="${1:-build}"; shift || true
if [ "$#" -gt 0 ]; then sizes=("$@"); else sizes=(500 1000 2000 5000); fi
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
tm="$build/trustmap"
# median wall seconds and median peak MB of three runs of "$@"
median3() {
  local times=()
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    times+=("$(cat "$work/time")")
  done
  printf '%s\n' "${times[@]}" | awk '{print $1}' | sort -n | sed -n 2p
  printf '%s\n' "${times[@]}" | awk '{print $2}' | sort -n | sed -n 2p
}
mb() { python3 -c "import os,sys; print(f'{os.path.getsize(sys.argv[1])/1048576:.1f}')" "$1"; }
# the machine's speed at handing out new memory, which can decide a large run's time (bench_memory.c)
"$build/bench/bench_memory" 512 || true
printf '%-8s %6s %6s %8s %8s %8s %8s %9s %8s %8s %8s %8s %7s %7s\n' services files MB cold_s warm_s peak_MB findings json_MB sarif_MB html_MB diff_s diff_MB same_s floor_x
for n in "${sizes[@]}"; do
  dir="$work/est$n"
  python3 "$here/estate.py" "$n" "$dir" --layout "${LAYOUT:-k8s}"
  files=$(find "$dir" -type f | wc -l)
  bytes=$(find "$dir" -type f -exec cat {} + | wc -c)
  mapfile -t cold < <(median3 "$tm" scan "$dir" --no-store --no-cache -f json -o "$work/r.json")
  "$tm" scan "$dir" --no-store --cache "$work/cache" -f json -o "$work/r.json" >/dev/null 2>&1 || true
  mapfile -t warm < <(median3 "$tm" scan "$dir" --no-store --cache "$work/cache" -f json -o "$work/r.json")
  findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/r.json")
  "$tm" scan "$dir" --no-store --cache "$work/cache" -f sarif -o "$work/r.sarif" >/dev/null 2>&1 || true
  "$tm" scan "$dir" --no-store --cache "$work/cache" -f html -o "$work/r.html" >/dev/null 2>&1 || true
  # a one-service change: the first service's Deployment made privileged
  head="$work/head$n"; rm -rf "$head"; cp -r "$dir" "$head"
  python3 "$here/estate.py" --change "$head" --layout "${LAYOUT:-k8s}"
  "$tm" scan "$head" --no-store --cache "$work/cache" -f json -o /dev/null >/dev/null 2>&1 || true
  mapfile -t diff < <(median3 "$tm" diff "$dir" "$head" --no-store --cache "$work/cache" -f json -o "$work/d.json")
  # a change that touches no input (the unchanged copy): one analysis of both sides
  same="$work/same$n"; rm -rf "$same"; cp -r "$dir" "$same"
  mapfile -t unchanged < <(median3 "$tm" diff "$dir" "$same" --no-store --cache "$work/cache" -f json -o "$work/s.json")
  rm -rf "$same" "$head"
  mapfile -t all < <(find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -not -path '*/templates/*')
  floor=$("$build/bench/bench_parse" --fyaml-only "${all[@]}" 2>/dev/null | sed -n 's/^libfyaml events only: \([0-9.]*\) s.*/\1/p')
  ratio=$(python3 -c "import sys; f=float(sys.argv[2] or 0); print(f'{float(sys.argv[1])/f:.1f}' if f > 0 else '?')" "${warm[0]}" "${floor:-0}")
  printf '%-8s %6s %6.1f %8s %8s %8.0f %8s %9s %8s %8s %8s %8.0f %7s %7s\n' "$n" "$files" "$(echo "$bytes/1048576" | bc -l)" \
    "${cold[0]}" "${warm[0]}" "$(echo "${warm[1]}/1024" | bc -l)" "$findings" "$(mb "$work/r.json")" \
    "$(mb "$work/r.sarif")" "$(mb "$work/r.html")" "${diff[0]}" "$(echo "${diff[1]}/1024" | bc -l)" "${unchanged[0]}" "$ratio"
done
