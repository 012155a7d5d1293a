# robot-shop's compose: its own build of mongo (image robot-shop-rs-mongodb, service mongodb) was no
# store, and an open store published on the host's ports was a medium finding whose priority said its
# exposure was "not known", though the model routed the internet to it; every service built from
# source (build:) was told to pin its image by digest. Now the repository's last word names the
# store when the service's name has it too (a log shipper or an exporter does not), a store reached
# from the internet without authentication is high and says so, and its exposure is its workload's;
# a service built here has no image to pin.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
stores = sorted(n["id"] for n in d["model"]["nodes"] if n["kind"] in ("datastore", "queue"))
assert stores == ["datastore:compose:shop/cache", "datastore:compose:shop/mongodb"], stores
def members(f):
    return [a["node"] for a in f.get("affected", [])] or [f["subject"]]
d2 = [f for f in d["findings"] if f["rule"] == "TM-DATA-002"]
mongo = [f for f in d2 if "datastore:compose:shop/mongodb" in json.dumps(f)]
assert mongo and mongo[0]["severity"] == "high" and "reachable from the internet" in json.dumps(mongo[0]), d2
assert "exposure internet-facing: +10" in mongo[0]["priority_factors"], mongo[0]["priority_factors"]
ctr = [f for f in d["findings"] if f["rule"] == "TM-CTR-004"]
text = json.dumps(ctr)
assert "compose:shop/cache" in text and "compose:shop/web" not in text and "compose:shop/mongodb" not in text, text
PY
