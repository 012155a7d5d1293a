#!/usr/bin/env bash
# flux2-kustomize-helm-example trial: a HelmRelease of a Helm repository's chart in a base two
# overlays share (apps/base/podinfo read by production and staging) was counted as not fetched in the
# first system only: the other said nothing was missing. A diagnostic of a file several renders read
# now belongs to every system they are in.
. "$(dirname "$0")/../lib.sh"
for sys in clusters/prod clusters/staging; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE" --format json --no-store --no-cache --system $sys
  expect_exit 0 1
  python3 - "$WORK/out" <<'PY' || fail "see above ($sys)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["incomplete"]["not_fetched"] == 1, d["summary"]
PY
done
exit 0
