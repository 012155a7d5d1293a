#!/usr/bin/env bash
# Parser throughput on the largest real specs of the corpus, and a whole-corpus scan time.
# usage: bench/run.sh [BUILD_DIR] [CORPUS_DIR]
set -euo pipefail
build="${1:-build}"; corpus="${2:-$(dirname "$0")/../../shared/corpus}"
[ -d "$corpus" ] || { echo "corpus not found at $corpus: nothing to measure" >&2; exit 0; }
"$build/bench/bench_parse" -n 3 \
  "$corpus/openapi-vendors/cloudflare/openapi.json" \
  "$corpus/openapi-vendors/stripe/openapi/spec3.yaml" \
  "$corpus/openapi-vendors/linode/openapi.yaml"
for sys in online-boutique sock-shop train-ticket istio openapi-vendors; do
  start=$(date +%s.%N)
  "$build/trustmap" scan "$corpus/$sys" -f json -o /dev/null --no-store 2>/dev/null || true
  printf '%-20s scan %.2f s\n' "$sys" "$(echo "$(date +%s.%N) - $start" | bc)"
done

# OpenAPI ingestion of every vendor spec, against libfyaml's event parser alone on the same files
# (the same files trustmap reads; target: within 2x). Peak RSS from GNU time.
mapfile -t specs < <(find "$corpus/openapi-vendors" -type f \( -name "*.json" -o -name "*.yaml" -o -name "*.yml" \))
bytes=$(cat "${specs[@]}" | wc -c)
"$build/bench/bench_parse" --fyaml-only "${specs[@]}"
/usr/bin/time -f "trustmap loads openapi-vendors (no report): %e s, peak %M KB" \
  "$build/trustmap" scan "$corpus/openapi-vendors" -f summary -o /dev/null --no-store 2>&1 | tail -1
echo "spec bytes: $bytes"

# The register: recording a run of a system with ~1,600 findings (400 privileged Deployments), first
# and repeated, on SQLite, and on PostgreSQL when TRUSTMAP_BENCH_PG is a postgresql:// URL.
sys_dir=$(mktemp -d); trap 'rm -rf "$sys_dir"' EXIT
for i in $(seq 0 399); do
  printf -- '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w%d, namespace: ns%d}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: c, image: "acme/w%d:latest", securityContext: {privileged: true}}\n' "$i" "$((i % 20))" "$i"
done >"$sys_dir/w.yaml"
stores=("sqlite:$sys_dir/register.db")
[ -n "${TRUSTMAP_BENCH_PG:-}" ] && stores+=("$TRUSTMAP_BENCH_PG")
/usr/bin/time -f "scan without a store:        %e s" "$build/trustmap" scan "$sys_dir" --no-store -o /dev/null
for st in "${stores[@]}"; do
  for run in first again; do
    TRUSTMAP_ROOT="bench-$$" /usr/bin/time -f "scan recording ($run, ${st%%:*}): %e s" "$build/trustmap" scan "$sys_dir" --store "$st" -o /dev/null
  done
done
