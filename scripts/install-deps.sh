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
  nodejs npm                                  # the SARIF schema check (tests/sarif)
)

# The SARIF 2.1.0 schema and its validator (ajv) come from the npm registry, pinned by
# tests/sarif/package-lock.json, installed into tests/sarif/node_modules.
sarif_deps() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/sarif"
  [ -d "$dir/node_modules/ajv-draft-04" ] && return 0
  command -v npm >/dev/null 2>&1 || return 0
  echo "installing the SARIF schema check (npm ci in tests/sarif)" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

missing=()
for p in "${packages[@]}"; do
  # node and npm may come from elsewhere (nvm, the machine's own): then the packages are not needed
  case "$p" in nodejs | npm) command -v "$p" >/dev/null 2>&1 && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  sarif_deps
  exit 0
fi

echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
sarif_deps
