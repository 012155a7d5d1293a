# train-ticket's compose files: twenty published services, each calling a MongoDB of its own, gave
# twenty TM-PATH-001 findings of one shape and twenty TM-MESH-003 ("ts-auth-mongo is not exposed, but
# internet-facing ts-auth-service calls it"): an application calling its own database, repeated until
# it drowned the rest. The paths of one namespace to the same kind of target fold into one finding
# that lists them; MESH-003 leaves workloads that run a store to TM-DATA-002 and TM-PATH-001.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
paths = [f for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert len(paths) == 1, [f["title"] for f in paths]
f = paths[0]
assert f["title"].startswith("3 attack paths from the internet in compose project"), f["title"]
assert len(f["affected"]) == 3 and all("redis" in a["title"] for a in f["affected"]), f["affected"]
assert not [f for f in d["findings"] if f["rule"] == "TM-MESH-003"], [f["title"] for f in d["findings"] if f["rule"] == "TM-MESH-003"]
PY
