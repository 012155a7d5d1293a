#!/usr/bin/env bash
# aks-store-demo: src/store-admin/ holds nginx.conf and the Dockerfile that copies it into the
# store-admin image. The Dockerfile's facts (FROM, USER) made that directory one "holding
# manifests", so the directory's name no longer said who runs the file: the gateway stood alone,
# assumed internet-facing; and TM-ID-003 cited the Dockerfile's FROM line for the workload. Now a
# directory whose files are only the named workload's own hosts its gateway, and a finding on a
# workload cites its manifest, not its image's Dockerfile.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
gw = [n for n in d["model"]["nodes"] if n["kind"] == "gateway"]
assert len(gw) == 1 and gw[0].get("hosted_by") == ["service:default/admin"], gw
for f in d["findings"]:
    assert not f["evidence"] or "Dockerfile" not in f["evidence"][0]["path"] or f["rule"] in ("TM-CTR-002", "TM-CTR-004"), (f["rule"], f["evidence"][:2])
PY
exit 0
