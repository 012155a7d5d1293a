# A compose secret the exposed service mounts itself (its TLS key) was a high TM-PATH-001 "from the
# internet through edge to tls_key": it is what the service runs with, as a Kubernetes Secret taken
# key by key is, so moving a key out of the environment into a secret no longer adds an attack path.
# CouchDB before 3.0 without an admin ("Admin Party": everyone is admin) was "unknown".
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
import regress
d = json.load(open(sys.argv[1]))
paths = [f["title"] for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert not [t for t in paths if "tls_" in t], paths
st = {n["id"]: n.get("attributes", n) for n in d["model"]["nodes"] if n["kind"] == "datastore"}
assert st["datastore:compose:default/couch"].get("auth") == "none", st
assert st["datastore:compose:default/couch3"].get("auth") != "none", st
open_ = {m["node"] for m in regress.members(d["findings"], "TM-DATA-002")}
assert "datastore:compose:default/couch" in open_, open_
PY
exit 0
