#!/usr/bin/env bash
# piggymetrics: one gateway configuration run by the gateway of two compose projects (the base file
# and docker-compose.dev.yml) routed only to the services of the first host's project: its upstream
# names were resolved in one namespace. Now each route is resolved where each of its hosts runs: the
# one nginx.conf mounted by two projects routes to each project's api.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
gw = [n for n in d["model"]["nodes"] if n["kind"] == "gateway"]
assert len(gw) == 1 and len(gw[0].get("hosted_by", [])) == 2, gw
to = sorted(e["to"] for e in d["model"]["edges"] if e["kind"] == "routes" and e["from"] == gw[0]["id"])
assert len(to) == 2 and to[0].endswith("/api") and to[1].endswith("/api") and to[0] != to[1], to
assert not gw[0].get("unresolved_upstreams"), gw[0]
PY
exit 0
