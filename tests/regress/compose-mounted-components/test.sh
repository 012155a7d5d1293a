# A directory of Dapr components a compose project bind-mounts into its daprd sidecar was a second
# "deployment variant" (a Kubernetes one, 0 services), and the components' skip reason named that
# variant instead of saying they are not modelled (trial S7, eShopOnDapr's compose). Objects a
# compose project bind-mounts are its configuration: one system, and the skip says "recognised, not
# modelled".
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["systems"]) == 1, [s["name"] for s in d["systems"]]
sk = {s["path"]: s["reason"] for s in d["skipped"]}
assert "recognised, not modelled" in sk.get("dapr/components/statestore.yaml", ""), sk
PY
exit 0
