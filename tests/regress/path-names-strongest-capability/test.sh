# argo-server's ClusterRole gets secrets and pods/exec cluster-wide. The attack path named the
# identity by "pod-exec-get (cluster-wide)" (exec allowed by `get` alone, the weaker of the two,
# matched as if it were pod-exec) instead of reading every Secret in the cluster.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
p = [f["title"] for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert p and "read-secrets (cluster-wide)" in p[0], p
PY
exit 0
