# aks-store-demo and opentelemetry-demo: `paths --from internet` answered "0 paths to valuable
# nodes" though the internet reached, call by call, a database that admits any client; only `--to`
# found it. A store or broker admitting any client is valuable now (60), so the walk reports the path
# and TM-PATH-001 names it; the store a published workload runs itself stays TM-DATA-002's alone.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" paths "$CASE/in" --from internet --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
targets = [p["to"] for p in d["paths"]]
assert targets == ["datastore:shop/cache"], d
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
p = [f for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert len(p) == 1 and "to datastore:shop/cache (a data store admitting any client), 4 hops" in p[0]["title"], p
PY
