#!/usr/bin/env bash
# Trial AL (a Jenkins with the Docker socket behind nginx): the internet reached the Docker host in
# two hops (`paths --to identity:node:compose/...` found it) yet no TM-PATH-001 was reported and
# `paths --from internet` said "0 paths to valuable nodes": the node a workload escapes to was no
# target. Root on the Docker host is: a path to it is TM-PATH-001 (high: Jenkins is taken over
# first; critical through an open Docker API, mesh-docker-api-plaintext). Quiet: node-exporter
# reading the host read-only, not published, gains no path.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/ci" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
p = [f for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert len(p) == 1, [f["title"] for f in d["findings"]]
t = p[0]["title"]
assert "identity:node:compose/buildbox" in t and "Docker host" in t and "docker.sock" in t, t
assert p[0]["severity"] == "high", p[0]["severity"]  # taking Jenkins over first
PY
run_bounded 60 "$TRUSTMAP" paths --from internet "$CASE/ci" --no-store --no-cache
expect_exit 0 1
grep -q "0 paths to valuable nodes" "$WORK/out" && fail "no valuable target: $(head -3 "$WORK/out")"
grep -q "identity:node:compose/buildbox" "$WORK/out" || fail "the Docker host is no target: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/quiet" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
p = [f["title"] for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert not p, p
PY
exit 0
