# A spec kept away from its manifests was linked to nothing and analysed as "partner (assumed)":
# VAmPI's openapi_specs/openapi3.yml (title "VAmPI") beside Deployments running saltaaron/vampi,
# crAPI's spec served at http://localhost:8888 where one compose service publishes 127.0.0.1:8888.
# Now, last among the linking rules: a localhost server's port links the compose service publishing
# that host port; the title links the one workload it names, by name or by image. A title naming two
# workloads (two Deployments of one image) links neither: a note names them, and the spec's stated
# exposure is the widest of theirs.
. "$(dirname "$0")/../lib.sh"
for d in image port two; do
	run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$d" --format json --no-store --no-cache
	expect_exit 0 1
	cp "$WORK/out" "$WORK/$d.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
def load(n):
    return json.load(open(f"{sys.argv[1]}/{n}.json"))
def endpoints(d):
    return [n for n in d["model"]["nodes"] if n["kind"] == "endpoint"]

d = load("image")
eps = endpoints(d)
assert len(eps) == 1 and eps[0]["id"].startswith("endpoint:default/shelf-vulnerable/"), eps
assert "title 'Bookshelf API'" in eps[0]["linked_by"] and eps[0]["exposure"] == "internet", eps
assert not eps[0].get("exposure_assumed"), eps
f = [x for x in d["findings"] if x["rule"] == "TM-API-010"]
assert f and f[0]["severity"] == "high" and "assumed" not in f[0]["title"], f

d = load("port")
eps = endpoints(d)
assert len(eps) == 1 and eps[0]["id"].startswith("endpoint:compose:docker/web/"), eps
assert "server 'localhost:8888'" in eps[0]["linked_by"], eps

d = load("two")
eps = endpoints(d)
assert len(eps) == 1 and eps[0]["id"].startswith("endpoint:api/ledger/"), eps
assert eps[0]["exposure"] == "internet" and eps[0]["exposure_assumed"] == "internet", eps
notes = [g["message"] for g in d["diagnostics"] if "its title names 2 workloads" in g["message"]]
assert len(notes) == 1 and "default/ledger-blue, default/ledger-green" in notes[0], d["diagnostics"]
svc = [n for n in d["model"]["nodes"] if n["id"] == "service:api/ledger"][0]
assert "default/ledger-green is routed from outside" in svc["assumed"], svc
PY
exit 0
