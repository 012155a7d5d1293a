#!/usr/bin/env bash
# Review: a chart declaring a dependency named "" (and another, neither vendored) hung the render:
# the list of missing dependencies started with ", " and its reader never moved past it.
. "$(dirname "$0")/../lib.sh"
dir=$(find "$CASE" -name Chart.yaml -printf '%h\n' | head -1)
run_bounded 20 "$TRUSTMAP" scan "$dir" --format summary --no-store --no-cache
expect_exit 0 1 3
exit 0
