#!/usr/bin/env bash
# Helm trial (node-exporter, ingress-nginx): the Markdown report printed a "Fix first" heading with
# no list when no change closes more than one finding; a template whose output is only a comment
# (a header above a condition that rendered nothing) was an "empty file" note among the unresolved
# assumptions; `help scan` named the JSON report schema 1, which is 2.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/fix-first" --format md --no-store --no-cache
expect_exit 0 1
if grep -q "### Fix first" "$WORK/out"; then fail "an empty Fix first section"; fi
run_bounded 60 "$TRUSTMAP" scan "$CASE/helm-comment" --format json --no-store --no-cache
expect_exit 0 1
if grep -q "empty file" "$WORK/out"; then fail "a comment-only render is an empty file"; fi
run_bounded 60 "$TRUSTMAP" help scan
expect_exit 0
schema=$(grep -o '"schema": [0-9]*' <("$TRUSTMAP" scan "$CASE/fix-first" --format json --no-store --no-cache 2>/dev/null) | head -1 | grep -o '[0-9]*$')
grep -q "(schema $schema)" "$WORK/out" || fail "help scan does not name schema $schema"
exit 0
