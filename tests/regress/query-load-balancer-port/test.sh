#!/usr/bin/env bash
# Helm trial (ingress-nginx): `query can internet` answered ALLOW for the admission webhook's port,
# which only a ClusterIP Service opens, because a LoadBalancer exposed other ports of the same pods.
# A load balancer takes a request only to the pod ports its targetPorts lead to.
. "$(dirname "$0")/../lib.sh"
for dest in "web-webhook.shop:443" "shop/web --port 9443"; do
  # shellcheck disable=SC2086
  run_bounded 60 "$TRUSTMAP" query can internet $dest "$CASE" --format json --no-store --no-cache
  expect_exit 0 1
  python3 - "$WORK/out" <<'PY' || fail "see above ($dest)"
import json, sys
d = json.load(open(sys.argv[1]))
assert not d["allowed"] and d["outcome"] == "unreachable", (d["allowed"], d["outcome"])
assert any("opens 80->http only" in s["text"] for s in d["steps"]), d["steps"]
PY
done
for dest in "web.shop:80" "shop/web"; do
  # shellcheck disable=SC2086
  run_bounded 60 "$TRUSTMAP" query can internet $dest "$CASE" --format json --no-store --no-cache
  expect_exit 0 1
  python3 - "$WORK/out" <<'PY' || fail "see above ($dest)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["allowed"], d["outcome"]
PY
done
exit 0
