# A .proto under src/api/ was not linked to the workload called api (the usual name of a system's
# gRPC front service): api/ is a role's directory (orders/api/ is orders'), so nothing linked it and
# the service was analysed as unlinked, its health service dropped. After every other rule, an api/
# directory names the workload called exactly that.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
eps = [n["id"] for n in d["model"]["nodes"] if n["kind"] == "endpoint"]
assert any("service:shop/api" in n or n.startswith("endpoint:shop/api/") for n in eps) or eps, eps
svc = {n["id"]: n for n in d["model"]["nodes"]}
assert not [i for i in svc if i.startswith("service:api/")], [i for i in svc if i.startswith("service:api/")]
ops = [n for n in d["model"]["nodes"] if n["kind"] == "endpoint"]
assert any("OrderAPI" in n["id"] for n in ops) and any("Health" in n["id"] for n in ops), [n["id"] for n in ops]
assert all(n.get("service") == "service:shop/api" for n in ops), [(n["id"], n.get("service")) for n in ops]
PY
exit 0
