#!/usr/bin/env bash
# Helm trial (bitnami/wordpress, oauth2-proxy): TM-PATH-001, high, was the only high finding on
# well-run charts: "from the internet through service:shop/web to secret:k8s:shop/db", for an exposed
# workload taking the one key of its own Secret it runs with (secretKeyRef), a hop nobody can break
# (TM-SEC-004 says how it is handed over). Taken whole (envFrom), every key of it is reached: still
# a path.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
r = [f["rule"] for f in d["findings"]]
assert "TM-PATH-001" not in r and "TM-SEC-004" in r, r
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/whole" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
p = [f for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert len(p) == 1 and "secret:k8s:shop/db" in p[0]["title"], [f["title"] for f in d["findings"]]
PY
exit 0
