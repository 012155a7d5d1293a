# An unlinked gRPC service's own node (its .proto's location as evidence) counted as a workload's
# manifest tree: an OpenAPI spec elsewhere under the same top directory (src/Catalog.API beside
# src/Basket.API/Proto) was linked to the Basket service "by directory tree". A workload's tree is
# where its manifests are, never an API spec or .proto linked to it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "directory-tree linking (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
eps = {n["id"]: n.get("linked_by") for n in j["model"]["nodes"] if n["kind"] == "endpoint"}
catalog = [i for i in eps if "/api/catalog/" in i]
if not catalog or any(i.startswith("endpoint:api/basketapi-basket/") for i in catalog):
    print("the Catalog spec's operations landed on the Basket gRPC service: %s" % eps, file=sys.stderr)
    sys.exit(1)
PY
exit 0
