# train-ticket's compose files: twenty published services, each calling a MongoDB of its own, gave
# twenty TM-PATH-001 findings of one shape and twenty TM-MESH-003 ("ts-auth-mongo is not exposed, but
# internet-facing ts-auth-service calls it"): an application calling its own database, repeated until
# it drowned the rest. They were first folded into one finding per namespace; since an exposed
# workload reaches the store it calls itself as its client whether the store asks for a password or
# not (TM-DATA-002 says the store is open), such a path is no TM-PATH-001 at all, unless the store
# holds valuable data (here session-redis, whose name says credentials): one path is left, and
# MESH-003 leaves workloads that run a store to TM-DATA-002 and TM-PATH-001.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
paths = [f for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert len(paths) == 1, [f["title"] for f in paths]
assert "session-redis" in paths[0]["title"] and not paths[0].get("affected"), paths[0]
stores = {f["subject"] for f in d["findings"] if f["rule"] == "TM-DATA-002"} | \
         {a["node"] for f in d["findings"] if f["rule"] == "TM-DATA-002" for a in f.get("affected") or []}
assert {"datastore:compose:default/cart-redis", "datastore:compose:default/wishlist-redis"} <= stores, stores
assert not [f for f in d["findings"] if f["rule"] == "TM-MESH-003"], [f["title"] for f in d["findings"] if f["rule"] == "TM-MESH-003"]
PY
