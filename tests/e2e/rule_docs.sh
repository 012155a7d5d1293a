#!/usr/bin/env bash
# docs/rules/ is what the registry says: regenerate into a temporary directory and compare.
# usage: rule_docs.sh TRUSTMAP_BINARY SOURCE_DIR
set -uo pipefail
tm="$1"; src="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bash "$src/scripts/gen-rule-docs.sh" "$tm" "$tmp" || exit 1
if ! diff -r "$tmp" "$src/docs/rules"; then
  echo "docs/rules/ is out of date: run scripts/gen-rule-docs.sh" >&2
  exit 1
fi
echo "$(ls "$tmp" | wc -l) rule pages up to date"
