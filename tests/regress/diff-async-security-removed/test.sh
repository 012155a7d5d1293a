# Dropping the broker's security from an AsyncAPI server was no change in a review (trial S4): the
# channel's publish edge lost its credential check, and only a new TM-ASYNC-001 raised the depth.
# A publish or subscribe edge that no longer asks for a credential is a removed control (deep-dive),
# as a call or a route is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/in/old" "$CASE/in/new" --no-store --no-cache --format json
expect_exit 0 1 3
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ch = [c for c in d["changes"] if c["trigger"] == "removed" and "no longer asks for a credential" in c["text"]]
assert ch and "payments.captured" in ch[0]["text"], d["changes"]
PY
exit 0
