#!/usr/bin/env bash
# Write docs/rules/ from the rule registry: one page per rule (`trustmap explain ID`) and the index.
# usage: scripts/gen-rule-docs.sh [TRUSTMAP_BINARY] [OUT_DIR]   (defaults: build/trustmap, docs/rules)
# tests/e2e/rule_docs.sh checks the pages in the tree are what this writes.
set -euo pipefail
tm="${1:-build/trustmap}"
out="${2:-docs/rules}"
mkdir -p "$out"
{
  echo "# The rule library"
  echo
  echo "Generated from \`src/rules/rules.def\` by \`scripts/gen-rule-docs.sh\`; \`trustmap rules\` and"
  echo "\`trustmap explain ID\` print the same."
  echo
  "$tm" rules --format md
} >"$out/README.md"
for id in $("$tm" rules | awk '{print $1}'); do
  "$tm" explain "$id" >"$out/$id.md"
done
