#!/usr/bin/env bash
# harbor-helm: ADMIRAL_URL: "NA" made a workload service:default/NA, a call to it and an unresolved
# assumption. A bare word that says "not set" (NA, N/A, none, null, disabled...) names no host; a
# real address beside it still makes its call.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ids = sorted(n["id"] for n in d["model"]["nodes"] if n["kind"] == "service")
assert ids == ["service:default/core", "service:default/registry"], ids
PY
exit 0
