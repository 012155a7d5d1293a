# A Knative Service's containers are usually unnamed (name is optional there): findings printed "?"
# for the container ("credential ?/STRIPE_SECRET_KEY", "runs as UID 0 (?)"). Knative names them as
# its defaulting webhook does: user-container, or user-container-<n> (the next number no container's
# own name takes) when the pod has several.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
n = {x["id"]: x for x in d["model"]["nodes"]}
assert n["service:shop/api"]["containers"] == ["user-container"], n["service:shop/api"]["containers"]
assert sorted(n["service:shop/pair"]["containers"]) == ["user-container-0", "user-container-1", "user-container-2"], n["service:shop/pair"]["containers"]
titles = [f["title"] for f in d["findings"]]
assert any("user-container/STRIPE_SECRET_KEY" in t for t in titles), titles
assert not any("?" in t for t in titles), titles
PY
exit 0
