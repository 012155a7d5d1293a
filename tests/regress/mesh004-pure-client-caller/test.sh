# A load generator calling the frontend made the frontend "a backend other services call" given a
# LoadBalancer of its own: TM-MESH-004 medium on the system's real entry point (trial T7, Online
# Boutique). A caller stands in front of a service only when it is itself served (routed to or
# called); a pure client (a load generator, a batch job) is not, and the finding stays low.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "TM-MESH-004"]
assert len(f) == 1 and f[0]["severity"] == "low" and "backend" not in f[0]["title"], f
PY
exit 0
