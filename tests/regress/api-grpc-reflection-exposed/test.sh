# gRPC server reflection served on a public LoadBalancer was modelled (exposure internet) and
# reported by nothing: any client lists every service and fetches its descriptors (grpcurl list,
# describe). TM-API-010 reports it beyond the cluster (high from the internet); inside the cluster,
# where its own tools use it, nothing.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/public" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "public: see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "TM-API-010"]
assert len(f) == 1 and f[0]["severity"] == "high", f
assert "grpc.reflection.v1.ServerReflection" in f[0]["title"] and "reflection" in f[0]["title"], f
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/internal" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "internal: see above"
import json, sys
d = json.load(open(sys.argv[1]))
eps = [n for n in d["model"]["nodes"] if n["kind"] == "endpoint"]
assert eps and "grpc.reflection.v1alpha" in eps[0]["path"], eps
assert not [x for x in d["findings"] if x["rule"] == "TM-API-010"], d["findings"]
PY
exit 0
