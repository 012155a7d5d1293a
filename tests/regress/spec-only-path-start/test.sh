# A spec no workload serves is analysed under an assumed exposure (partner: "deployment unknown"),
# but its findings' paths started at entrypoint:internet, a node the model did not hold, and the
# Markdown's abuse paths led from the internet to an operation whose own exposure said partner. A
# path starts at the entry point of the operation's exposure when the model holds one, else at the
# operation.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ids = {n["id"] for n in d["model"]["nodes"]}
assert d["findings"], "no findings"
for f in d["findings"]:
    for hop in f["path"]:
        assert hop in ids, (f["rule"], hop)
PY
exit 0
