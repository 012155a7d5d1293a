#!/usr/bin/env bash
# Helm trial (prometheus-node-exporter): `/` mounted read-only into a pod running as nobody
# (runAsNonRoot, UID 65534) was as critical as `/` mounted writable as root: it reads what that
# user may of the node and writes nothing. High; the writable root mount stays critical.
. "$(dirname "$0")/../lib.sh"
sev() {
  run_bounded 60 "$TRUSTMAP" scan "$CASE/$1" --format json --no-store --no-cache
  expect_exit 0 1
  python3 -c 'import json,sys; print(",".join(f["severity"] for f in json.load(open(sys.argv[1]))["findings"] if f["rule"] == "TM-CTR-001"))' "$WORK/out"
}
[ "$(sev ro)" = "high" ] || fail "read-only, non-root: $(sev ro)"
[ "$(sev rw)" = "critical" ] || fail "writable, root: $(sev rw)"
exit 0
