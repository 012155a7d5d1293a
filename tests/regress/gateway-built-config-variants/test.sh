# A proxy configuration built into the image of a dev compose service (`build: ./front`, whose
# Dockerfile copies it) was hosted by that service only; the stack file's service of the same name,
# which runs the pushed image and publishes 80/443, was not linked, so the production path
# (internet -> nginx -> storefront) disappeared. The same service of the directory's other compose
# files that builds nothing hosts the configuration too, each variant resolving its own upstreams.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
g = [n for n in d["model"]["nodes"] if n["kind"] == "gateway"][0]
assert g["hosted_by"] == ["service:compose:default/front", "service:compose:default[docker-stack]/front"], g
r = sorted(e["to"] for e in d["model"]["edges"] if e["kind"] == "routes" and e["from"] == g["id"])
assert r == ["service:compose:default/storefront", "service:compose:default[docker-stack]/storefront"], r
assert d["exposure"].get("service:compose:default[docker-stack]/storefront") == "internet", d["exposure"]
PY
exit 0
