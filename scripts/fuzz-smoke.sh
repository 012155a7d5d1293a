#!/usr/bin/env bash
# Run every libFuzzer target briefly (FUZZ_SECONDS each, default 30) on its committed corpus plus
# the inputs of tests/regress/*/, in a scratch copy: fuzz/corpus/ is never written. Fails, naming
# the target and the reproducer, when a target crashes, hangs, leaks or hits undefined behaviour.
# Skips (exit 0, saying so) when clang is absent.
#
#   FUZZ_SECONDS=30   time per target          FUZZ_TARGETS="parse k8s"   a subset
#   FUZZ_SEED=1       the mutation seed: fixed, so CI repeats the local run (pass another to explore)
#   FUZZ_PARALLEL=2   targets run at once      FUZZ_OUT=DIR               scratch (default: a temp dir)
#   FUZZ_BUILD=build-fuzz                      JOBS=2                     build parallelism
set -euo pipefail
cd "$(dirname "$0")/.."
top="$PWD"

seconds="${FUZZ_SECONDS:-30}"
parallel="${FUZZ_PARALLEL:-2}"
build="${FUZZ_BUILD:-build-fuzz}"
jobs="${JOBS:-2}"

if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz-smoke: SKIPPED: clang not found (scripts/install-deps.sh installs it)" >&2
  exit 0
fi

# The targets, from fuzz/CMakeLists.txt's list (the one place they are named).
all_targets=$(sed -n 's/^  "\([a-z0-9_]*\) *\([a-z_]*\.c\) .*/\1 \2/p' fuzz/CMakeLists.txt |
  while read -r name src; do [ -f "fuzz/$src" ] && echo "$name"; done)
targets="${FUZZ_TARGETS:-$all_targets}"

echo "== fuzz-smoke: build ($build, clang, ASan + UBSan + libFuzzer)" >&2
start=$(date +%s)
# -Werror stays with the gcc suites: a clang-only warning in src/ must not hide a crash here
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DTM_FUZZ=ON -DTM_WERROR=OFF -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" --target fuzz_all -j "$jobs" >/dev/null

out="${FUZZ_OUT:-}"
if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/trustmap-fuzz-smoke.XXXXXX")
fi
mkdir -p "$out"
# tests/regress inputs (not their test.sh), flattened: seeds for every target
mkdir -p "$out/regress"
find tests/regress -mindepth 2 -type f ! -name test.sh | while read -r f; do
  cp "$f" "$out/regress/$(echo "${f#tests/regress/}" | tr / _)"
done

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# the library is built with recoverable UBSan: halting makes undefined behaviour a crash
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# run_one TARGET: fuzz it in a scratch copy of its corpus; the log and any reproducer stay in $out.
run_one() {
  local t="$1" dir="$out/$1"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp -R "fuzz/corpus/$t/." "$dir/corpus/" 2>/dev/null || true
  local rc=0
  "$top/$build/fuzz/fuzz_$t" "$dir/corpus" "$out/regress" \
    -max_total_time="$seconds" -seed="${FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" >"$dir/log" 2>&1 || rc=$?
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  if [ "$rc" -ne 0 ]; then
    local repro
    repro=$(find "$dir/artifacts" -type f | head -1)
    echo "fuzz-smoke: FAIL fuzz_$t (exit $rc) after ${execs:-?} runs"
    grep -m1 -E 'ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:|ERROR: libFuzzer' "$dir/log" | sed 's/^/  /' || true
    echo "  reproducer: ${repro:-none written}"
    echo "  log:        $dir/log"
    echo "  replay:     $build/fuzz/fuzz_$t ${repro:-<input>}"
    return 1
  fi
  echo "fuzz-smoke: ok   fuzz_$t: ${execs:-?} runs in ${seconds}s"
}
export -f run_one
export top build out seconds

echo "== fuzz-smoke: $(echo $targets | wc -w) targets x ${seconds}s, $parallel at a time; scratch: $out" >&2
rc=0
printf '%s\n' $targets | xargs -P "$parallel" -I{} bash -c 'run_one "$1"' _ {} || rc=$?
echo "== fuzz-smoke: $(( $(date +%s) - start ))s in all" >&2
if [ "$rc" -ne 0 ]; then
  echo "fuzz-smoke: FAILED: a target crashed (above: its reproducer and log). Minimise with" >&2
  echo "  $build/fuzz/fuzz_<target> -minimize_crash=1 -runs=10000 <reproducer>" >&2
  echo "then add the input to fuzz/corpus/<target>/ and a tests/regress/<case>/ with the fix." >&2
  exit 1
fi
[ -n "${FUZZ_OUT:-}" ] || rm -rf "$out"
