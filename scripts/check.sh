#!/usr/bin/env bash
# The whole test suite, twice: a normal -Werror build, then AddressSanitizer + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${JOBS:-2}"

scripts/banned.sh

run_suite() {
  local dir="$1"; shift
  echo "== $dir: configure and build" >&2
  cmake -S . -B "$dir" -DTM_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs" >/dev/null
  echo "== $dir: tests" >&2
  (cd "$dir" && ctest -j "$jobs" --output-on-failure)
}

run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DTM_SANITIZE=ON -DTM_ARENA_DEBUG=ON
# every fuzz target briefly: 10 s each here (FUZZ_SECONDS; `make fuzz-smoke` gives each 30), skipped without clang
JOBS="$jobs" FUZZ_SECONDS="${FUZZ_SECONDS:-10}" scripts/fuzz-smoke.sh
