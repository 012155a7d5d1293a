# `*` on a custom API group's resources was "wildcard (cluster-wide)", which reads like `*` on `*`.
# The capability now says what the wildcard covers.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
a = next(n for n in d["model"]["nodes"] if n["id"] == "identity:k8s:cert-manager/cert-manager")
caps = a["rbac_capabilities"]
assert "wildcard: create on every resource of acme.mycompany.com (cluster-wide)" in caps, caps
assert "wildcard: every verb on alertmanagers,prometheuses of monitoring.coreos.com (cluster-wide)" in caps, caps
assert "wildcard (cluster-wide)" not in a["scope"], a["scope"]
assert not any(x["rule"].startswith("TM-ID-00") for x in d["findings"]), d["findings"]
PY
exit 0
