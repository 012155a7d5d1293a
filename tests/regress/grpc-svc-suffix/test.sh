#!/usr/bin/env bash
# emojivoto trial: EmojiService and VotingService, served by the compose services emoji-svc and
# voting-svc (published ports), stayed unlinked: their rpcs sat on invented services with partner
# exposure, and the published workloads had no endpoints. A service's name now also finds its
# workload with `svc` or `server` in place of `Service`.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
eps = [n for n in d["model"]["nodes"] if n["kind"] == "endpoint"]
assert eps and all(n["id"].startswith(("endpoint:compose:default/emoji-svc/", "endpoint:compose:default/voting-svc/")) for n in eps), [n["id"] for n in eps][:5]
assert not [n for n in d["model"]["nodes"] if n["id"].startswith("service:api/")], "unlinked services remain"
PY
exit 0
