# A gateway's file in a service's source tree (train-ticket's ts-ui-dashboard/nginx.conf, built into
# the image both its compose project and its Kubernetes manifests run) went, nothing mounting it,
# with the nearest unit above it: the compose project at the root. The Kubernetes system lost the
# gateway its NodePort Service fronts, and with it TM-MESH-013 and an attack path. A file so placed
# is now offered to the other systems too, and kept where a workload runs it (named after its
# directory); one no workload there runs (proxy/nginx.conf, built by the compose project's edge)
# stays the compose project's alone.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
mv "$WORK/out" "$WORK/k8s.json"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --system docker-compose.yml --no-store --no-cache --format json
expect_exit 0 1
mv "$WORK/out" "$WORK/compose.json"
python3 - "$WORK/k8s.json" "$WORK/compose.json" <<'PY' || fail "see above"
import json, sys
from regress import report
k8s, compose = report(sys.argv[1]), report(sys.argv[2])
assert k8s["systems"][0]["name"].endswith("deploy/k8s"), k8s["systems"]
def gateways(r):
    return {n["id"]: n.get("hosted_by") for n in r["model"]["nodes"] if n["kind"] == "gateway"}
assert gateways(k8s) == {"gateway:nginx:web/nginx.conf": ["service:default/web"]}, gateways(k8s)
assert gateways(compose) == {"gateway:nginx:proxy/nginx.conf": ["service:compose:default/edge"],
                             "gateway:nginx:web/nginx.conf": ["service:compose:default/web"]}, gateways(compose)
skipped = {x["path"]: x["reason"] for x in k8s["skipped"]}
assert "no workload of this system runs it" in skipped.get("proxy/nginx.conf", ""), skipped
assert "proxy/nginx.conf" not in {i["path"] for i in k8s["inputs"]}, k8s["inputs"]
assert "web/nginx.conf" in {i["path"] for i in k8s["inputs"]} and "web/nginx.conf" not in skipped
PY
run_bounded 60 "$TRUSTMAP" query can internet default/api --path /api/orders "$CASE/in" --no-store --no-cache
expect_exit 0
grep -q '^ALLOW (200) .*via gateway:nginx:web/nginx.conf' "$WORK/out" || { cat "$WORK/out" >&2; fail "the Kubernetes system's route through web's nginx"; }
