# Shared helpers for tests/regress/*/test.sh (sourced). set -u is on; callers set TRUSTMAP, CASE, WORK.
set -u
TRUSTMAP="$1"; CASE="$2"; WORK="$3"
rm -rf "$WORK"; mkdir -p "$WORK"
export TRUSTMAP_STORE=none
# regress.py (beside this file) is importable from a case's Python: `from regress import rows`.
# No bytecode: a __pycache__ folder here would be taken for a case (and its files for fuzz seeds).
export PYTHONPATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1

fail() { echo "regress: $*" >&2; exit 1; }

# run_bounded SECONDS CMD...: runs CMD with a time limit; a timeout is a failure (the hang is back).
# The exit code of CMD is left in $rc; stdout in $WORK/out, stderr in $WORK/err.
run_bounded() {
  local secs="$1"; shift
  rc=0
  timeout --signal=KILL "$secs" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  if [ "$rc" -eq 137 ]; then fail "timed out after ${secs}s: $*"; fi
  # a sanitizer report or a signal is always a failure
  if [ "$rc" -ge 128 ]; then cat "$WORK/err" >&2; fail "killed by signal $((rc - 128)): $*"; fi
  if grep -q 'ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer' "$WORK/err"; then
    cat "$WORK/err" >&2; fail "sanitizer report: $*"
  fi
}

# expect_exit CODE...: the last run_bounded exited with one of the codes.
expect_exit() {
  local c
  for c in "$@"; do [ "$rc" -eq "$c" ] && return 0; done
  cat "$WORK/err" >&2
  fail "exit code $rc, expected one of: $*"
}

# scan_each SUBDIR...: scans "$CASE/in/SUBDIR" for each SUBDIR (run_bounded 60, --no-store --no-cache
# --format json; exit 0 or 1, else a failure naming SUBDIR) into "$WORK/NAME.json", NAME being SUBDIR
# with each / made - (compose -> compose.json, k8s/prod -> k8s-prod.json). $WORK/out is gone after.
scan_each() {
  local sub
  [ "$#" -gt 0 ] || fail "scan_each: no folder given"
  for sub in "$@"; do
    [ -d "$CASE/in/$sub" ] || fail "scan_each: no folder $CASE/in/$sub"
    run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$sub" --no-store --no-cache --format json
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
      cat "$WORK/err" >&2
      fail "scan of in/$sub: exit code $rc, expected one of: 0 1"
    fi
    mv "$WORK/out" "$WORK/${sub//\//-}.json"
  done
}

# expect_valid_utf8 FILE: the file is valid UTF-8.
expect_valid_utf8() {
  python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$1" \
    || fail "$1 is not valid UTF-8"
}

# need_ro_mount DIR: sets the array `ns` to the command that enters a private mount namespace where
# DIR can be bind-mounted read-only (as root, or as anyone through a user namespace), or skips the
# case (exit 77, saying why). Root ignores permission bits, so chmod would prove nothing.
need_ro_mount() {
  if [ "$(id -u)" = 0 ]; then ns=(unshare --mount); else ns=(unshare -rm); fi
  local probe='mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && ! touch "$1/.probe" 2>/dev/null'
  if ! "${ns[@]}" bash -c "$probe" _ "$1" >/dev/null 2>&1; then
    rm -f "$1/.probe"
    echo "skip: cannot make a read-only bind mount here (needs root or user namespaces)" >&2
    exit 77
  fi
}
