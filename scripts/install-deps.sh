#!/usr/bin/env bash
# Install every Debian package trustmap needs to build and test. Idempotent; quiet when all is present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git python3
  libfyaml-dev libjansson-dev libxxhash-dev   # parsing, hashing
  libgit2-dev                                 # diff --base: trees read straight from git
  libsqlite3-dev libpq-dev                    # the risk register (SQLite, PostgreSQL)
  postgresql                                  # a throwaway server for the PostgreSQL store tests
  libgraphviz-dev                             # diagrams: DOT laid out and rendered to SVG in-process
  libcmocka-dev                               # unit tests
  clang                                       # libFuzzer targets (optional build)
  libmicrohttpd-dev                           # trustmap serve: the local web UI
  chromium                                    # browser tests of the HTML report and the web UI
  nodejs npm                                  # the SARIF schema check (tests/sarif), playwright-core (tests/browser)
)

# From the npm registry, pinned by each directory's package-lock.json: the SARIF 2.1.0 schema and
# its validator (tests/sarif), playwright-core to drive Debian's chromium (tests/browser).
npm_deps() {
  local top dir marker
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
