# A Swagger generated from a .proto (protoc-gen-openapiv2 titles it by the proto: "v1/shop.proto")
# was a second API beside the proto's: the same operations twice, on a service of its own that no
# workload linked, and the Swagger's silence on authentication read as "anonymous" (TM-API-001
# critical) where the proto says nothing. An error-only proto's empty Swagger was a service too.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "generated Swagger (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in j["model"]["nodes"]}
bad = []
services = sorted(i for i, n in nodes.items() if n["kind"] == "service")
if services != ["service:shop/shop"]:
    bad.append("one service expected (the proto's, linked to the workload): %s" % services)
eps = sorted(i for i, n in nodes.items() if n["kind"] == "endpoint")
if eps != ["endpoint:shop/shop/GRPC /shop.v1.Shop/DeleteOrder", "endpoint:shop/shop/GRPC /shop.v1.Shop/GetOrder"]:
    bad.append("the operations should be the proto's, once: %s" % eps)
shop = nodes.get("service:shop/shop", {})
if "api/shop/v1/shop.swagger.json" not in (shop.get("generated_specs") or []):
    bad.append("the Swagger is not the proto's service's evidence: %s" % shop.get("generated_specs"))
if [f for f in j["findings"] if f["rule"] == "TM-API-001"]:
    bad.append("TM-API-001 from the Swagger's silence on authentication")
if not any("shop_error.proto, which defines no modelled service" in d["message"] for d in j["diagnostics"]):
    bad.append("no note for the error-only proto's Swagger: %s" % [d["message"] for d in j["diagnostics"]])
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
# the Markdown report asks how callers authenticate to the proto's service
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store
grep -q 'How do callers authenticate to `service:shop/shop`' "$WORK/out" || fail "md: no question on authentication"
exit 0
