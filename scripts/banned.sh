#!/usr/bin/env bash
# Banned functions (STYLE.md): none in src/, and raw malloc/free only in src/util/.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
if git grep -nE '\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|strtok|gets)\s*\(' -- 'src/*.c' 'src/*.h'; then
  echo "banned function in src/ (use tm_formatf or snprintf, tm_strbuf, tm_parse_i64)" >&2
  status=1
fi
if git grep -nE '(^|[^_a-z])(malloc|calloc|realloc|free)\s*\(' -- 'src/*.c' ':!src/util/*' ':!src/cli/*'; then
  echo "raw allocation outside src/util/ (use tm_malloc and friends)" >&2
  status=1
fi
exit $status
