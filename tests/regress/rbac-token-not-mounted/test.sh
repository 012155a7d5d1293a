# TM-ID-005 stayed critical, "is cluster-admin, and service:X runs as it", for pods that mount no token
# of the account (automountServiceAccountToken: false), while blast radius and attack paths rightly
# left the grant out: taking the workload over does not yield it. TM-ID-004 and TM-SEC-005 did the
# same. Now graded as an identity no workload holds (high, medium; TM-SEC-005 none), saying why.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = {(x["rule"], x["path"][0]): x for x in d["findings"]}
adm = f[("TM-ID-005", "identity:k8s:ops/ctrl")]
assert adm["severity"] == "high", adm
assert "service:ops/notoken runs as it with no token mounted" in adm["title"], adm["title"]
assert adm["path"] == ["identity:k8s:ops/ctrl"], adm["path"]
assert {"path": "a.yaml", "line": 13, "column": 27} in adm["evidence"], adm["evidence"]
rd = f[("TM-ID-004", "identity:k8s:ops/reader")]
assert rd["severity"] == "medium", rd
assert "service:ops/reads runs as it with no token mounted" in rd["title"], rd["title"]
assert not any(x["rule"] == "TM-SEC-005" for x in d["findings"]), [x["title"] for x in d["findings"]]
PY
exit 0
