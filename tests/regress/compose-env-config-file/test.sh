# A proxy configuration a compose service's environment names was run by no workload (envoyproxy/
# envoy's ext_authz example: FRONT_ENVOY_YAML, set in .env and passed through by `environment:`,
# names config/grpc-service/v3.yaml): its gateway became a second internet entry "via assumed". A
# variable naming a configuration file of the service's build context has the image read it, as a
# build argument naming one does.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
gws = {n["id"]: n for n in d["model"]["nodes"] if n["kind"] == "gateway"}
grpc = [g for i, g in gws.items() if "config/grpc/proxy.yaml" in i]
assert grpc and grpc[0].get("hosted_by"), grpc
assert any(h.endswith("/proxy") for h in grpc[0]["hosted_by"]), grpc[0]["hosted_by"]
assert not [i for i, g in gws.items() if g.get("assumed")], [i for i, g in gws.items() if g.get("assumed")]
PY
exit 0
