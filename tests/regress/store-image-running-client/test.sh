# A Job that runs a store's client in the store's image (knative's bookstore: psql in a postgres
# image, to load a schema) became a second, phantom data store beside the real one. A container
# whose command runs a client program (psql, redis-cli...; past sh -c) runs no store; the server
# in the same image still does.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
stores = sorted(n["id"] for n in d["model"]["nodes"] if n["kind"] in ("datastore", "queue"))
assert stores == ["datastore:db/postgresql"], stores
PY
exit 0
