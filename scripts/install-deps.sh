#!/usr/bin/env bash
# Install the Debian packages trustmap needs. Idempotent; quiet when all is present.
#   scripts/install-deps.sh           everything: build and test (make check, make fuzz)
#   scripts/install-deps.sh --build   only what CMake needs to build the binary (make demo, make build)
#   scripts/install-deps.sh --print-build | --print-test   print a set, one package a line
# action.yml installs exactly the build set (tests/e2e/adoption_action.py compares them).
set -euo pipefail

# What CMakeLists.txt's pkg_check_modules ask for, and a compiler: enough for -DBUILD_TESTING=OFF.
build_packages=(
  build-essential cmake pkg-config
  libfyaml-dev libjansson-dev libxxhash-dev   # parsing, hashing
  libgit2-dev                                 # diff --base: trees read straight from git
  libsqlite3-dev libpq-dev                    # the risk register (SQLite, PostgreSQL)
  libgraphviz-dev                             # diagrams: DOT laid out and rendered to SVG in-process
  libmicrohttpd-dev                           # trustmap serve: the local web UI
)
# The test toolchain, on top of the build set.
test_packages=(
  git python3                                 # the e2e tests (git repositories, Python drivers)
  libcmocka-dev                               # unit tests (tests/CMakeLists.txt requires it)
  postgresql                                  # a throwaway server for the PostgreSQL store tests
  clang                                       # libFuzzer targets (make fuzz, fuzz-smoke)
  chromium                                    # browser tests of the HTML report and the web UI
  nodejs npm                                  # the SARIF schema check (tests/sarif), playwright-core (tests/browser)
  golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev  # tests/helm: the Go template oracle
)

mode=all
case "${1:-}" in
  "") ;;
  --build) mode=build ;;
  --print-build) printf '%s\n' "${build_packages[@]}"; exit 0 ;;
  --print-test) printf '%s\n' "${test_packages[@]}"; exit 0 ;;
  *) echo "usage: $0 [--build | --print-build | --print-test]" >&2; exit 2 ;;
esac
packages=("${build_packages[@]}")
[ "$mode" = all ] && packages+=("${test_packages[@]}")

# From the npm registry, pinned by each directory's package-lock.json: the SARIF 2.1.0 schema and
# its validator (tests/sarif), playwright-core to drive Debian's chromium (tests/browser). Tests only.
npm_deps() {
  local top dir marker
  [ "$mode" = all ] || return 0
  top="$(cd "$(dirname "$0")/.." && pwd)"
  command -v npm >/dev/null 2>&1 || return 0
  for pair in "sarif:ajv-draft-04" "browser:playwright-core"; do
    dir="$top/tests/${pair%%:*}"; marker="${pair#*:}"
    [ -d "$dir/node_modules/$marker" ] && continue
    echo "installing tests/${pair%%:*} (npm ci)" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  done
}

missing=()
for p in "${packages[@]}"; do
  # node and npm may come from elsewhere (nvm, the machine's own): then the packages are not needed
  case "$p" in nodejs | npm) command -v "$p" >/dev/null 2>&1 && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  npm_deps
  exit 0
fi

echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
npm_deps
