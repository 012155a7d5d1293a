#!/usr/bin/env bash
# harbor-helm: Harbor's Redis (image goharbor/redis-photon, no password anywhere) was recognised
# only by its Service's port 6379, "image not recognised", auth unknown: TM-DATA-002 fired only when
# the workload was named plain "redis", which a chart's release prefix never leaves it. A word of the
# image's repository that names the store its port names confirms it as the store's own build. Also
# from Harbor: a Secret key holding a URL with no password (trivy's redisURL) is an address, not a
# committed secret value (TM-SEC-003).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
d2 = [f["title"] for f in d["findings"] if f["rule"] == "TM-DATA-002"]
assert any("harbor-redis" in t for t in d2), [f["title"] for f in d["findings"]]
s3 = json.dumps([f for f in d["findings"] if f["rule"] == "TM-SEC-003"])
assert "redisURL" not in s3, s3
PY
exit 0
