# A node agent reading the host's `/` read-only, as a non-root user that may not gain privileges,
# was TM-CTR-001 critical only because its container adds SYS_TIME, with the same title as the high
# finding without it: a capability added to a non-root container that cannot escalate is not in its
# process's effective set (Kubernetes sets no ambient capabilities). It is high now.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "TM-CTR-001"]
assert len(f) == 1 and f[0]["severity"] == "high", [(x["severity"], x["title"]) for x in f]
PY
