# aws-containers/retail-store-sample-app: src/catalog/openapi.yml stayed unlinked beside a `catalog`
# Deployment (only .proto files were matched by their directory's name), src/cart/openapi.yml did not
# match the workload `carts`, and in the variant of src/ui/docker-compose.yml every spec under src/
# was linked to ui, the one workload of the tree they share. Unlinked, the specs were assumed
# reachable and gave a critical TM-API-001 whose priority said "fixing ... cuts 18446744073709551615
# attack paths" (a folded finding's own path taken from a count that never held it). Now a directory
# naming a workload (its plural too) links the spec, a spec under another component's directory is
# not the shared tree's, and the count does not wrap.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
def links(m):
    return {n["spec"]: (n.get("service"), n.get("linked_by")) for n in m["nodes"] if n["kind"] == "endpoint"}
top = links(d["model"])
assert top["src/cart/openapi.yml"] == ("service:default/carts", "directory 'cart' names the workload"), top
assert top["src/catalog/openapi.yml"] == ("service:default/catalog", "directory 'catalog' names the workload"), top
ui = [s for s in d["systems"] if s["name"].endswith("src/ui/docker-compose.yml")]
assert ui and "model" in ui[0], [s["name"] for s in d["systems"]]
for spec, (svc, how) in links(ui[0]["model"]).items():
    assert not svc.endswith("/ui"), (spec, svc, how)
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/lone" --format json --no-store --no-cache
expect_exit 0 1
if grep -q 18446744073709551615 "$WORK/out"; then fail "a priority factor counts a wrapped number of paths: $(grep -o '"fixing[^"]*"' "$WORK/out" | head -1)"; fi
