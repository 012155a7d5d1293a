# A Knative Service asking for a privileged container was reported as a container that runs
# privileged, though Knative's admission webhook refuses such a Service. The finding stays (the
# manifest is a mistake) and now says the webhook refuses it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = [f["title"] for f in d["findings"] if f["rule"] == "TM-CTR-001"]
assert len(t) == 1 and "admission webhook refuses" in t[0] and "user-container" in t[0], t
PY
exit 0
