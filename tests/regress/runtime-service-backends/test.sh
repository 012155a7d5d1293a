# A call to a Service was mapped onto the first workload it selects, so Kiali's "reviews (Service)
# -> reviews-v2" hop became "reviews-v1 calls reviews-v2": a false TM-DRIFT-001 between versions,
# and productpage's declared call to reviews-v2 looked unobserved.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$CASE/system"
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"}
bad = [c for c in calls if c[0].startswith("service:books/reviews") and c[1].startswith("service:books/reviews")]
assert not bad, f"invented version-to-version calls: {bad}"
want = {("service:books/productpage-v1", "service:books/reviews-v1"), ("service:books/productpage-v1", "service:books/reviews-v2")}
assert want <= calls, f"calls: {sorted(calls)}"
drift = [f["title"] for f in d["findings"] if f["rule"].startswith("TM-DRIFT-00")]
assert not [t for t in drift if "TM-DRIFT" in t or "no manifest declares" in t], f"drift findings: {drift}"
for e in d["model"]["edges"]:
    if e["kind"] == "calls":
        assert "observed" in e and "observed_only" not in e, f"edge not observed as declared: {e}"
PY
