#!/usr/bin/env bash
# Refresh the pictures in docs/img: the HTML report and the change review of the example system,
# and the web UI's register, taken by the browser tests in Debian's chromium.
# usage: scripts/screenshots.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
mkdir -p docs/img
TM_SCREENSHOT_DIR=docs/img node tests/browser/report.mjs "$build/trustmap" .
TM_SCREENSHOT_DIR=docs/img node tests/browser/serve.mjs "$build/trustmap" .
ls -l docs/img
