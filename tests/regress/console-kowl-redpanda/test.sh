#!/usr/bin/env bash
# ftgo trial: Kowl (and its successor Redpanda Console) published on a port showed every topic's
# messages to visitors, but only provectuslabs/kafka-ui was a known console (TM-MESH-012).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
t = " ".join(m["title"] for m in regress.members(regress.findings(sys.argv[1]), "TM-MESH-012"))
assert "Kowl console" in t and "Redpanda Console console" in t, t
PY
exit 0
