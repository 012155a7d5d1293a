#!/usr/bin/env bash
# Install every Debian package trustmap needs to build and test. Idempotent; quiet when all is present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git python3
  libfyaml-dev libjansson-dev libxxhash-dev   # parsing, hashing
  libcmocka-dev                               # unit tests
  clang                                       # libFuzzer targets (optional build)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
