#!/usr/bin/env bash
# appwrite: TM-MESH-004 ("exposed around the gateway") named Traefik itself: the workload that runs
# the gateway publishes its port because facing clients is its job. A workload that runs a gateway
# configuration is not reported for its own exposure; another published service still is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
m4 = [f["title"] for f in d["findings"] if f["rule"] == "TM-MESH-004"]
assert len(m4) == 1 and "admin" in m4[0] and "traefik" not in m4[0], m4
PY
exit 0
