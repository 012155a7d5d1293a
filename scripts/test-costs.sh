#!/usr/bin/env bash
# Write tests/costs.txt from the costs ctest measured in a build directory (its
# Testing/Temporary/CTestCostData.txt, kept after every ctest run): the tests that took longest,
# with their seconds. tests/CMakeLists.txt gives them as each test's COST, so that a fresh build
# (CI, where nothing has been measured yet) starts the long tests first instead of ending on them.
#
#   scripts/test-costs.sh build [N]     N: how many tests to list (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:?usage: scripts/test-costs.sh BUILD_DIR [N]}"
n="${2:-60}"
data="$build/Testing/Temporary/CTestCostData.txt"
[ -f "$data" ] || { echo "test-costs: $data not found: run ctest in $build first" >&2; exit 2; }
{
  echo "# The longest tests and their seconds in a normal build (scripts/test-costs.sh wrote this"
  echo "# from a build's measured costs); tests/CMakeLists.txt makes them each test's COST."
  # lines "name runs seconds" until the "---" that starts the failed list
  awk '/^---/{exit} NF==3 && $3 > 0 {printf "%s %.0f\n", $1, $3 + 0.5}' "$data" | sort -k2,2nr -k1,1 | head -n "$n"
} > tests/costs.txt
echo "test-costs: $(grep -vc '^#' tests/costs.txt) tests written to tests/costs.txt" >&2
