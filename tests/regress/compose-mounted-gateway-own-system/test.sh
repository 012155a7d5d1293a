#!/usr/bin/env bash
# go-coffeeshop / eShopOnDapr trial: an Envoy configuration only the compose deployment bind-mounts
# defines no Kubernetes object, so it was in every system: in the Kubernetes one it stood alone,
# "assumed internet-facing", and made a ClusterIP Service reachable from the internet. A file a
# compose project bind-mounts now goes with that project.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can internet shop/catalog "$CASE"
expect_exit 1
grep -q "^DENY (unreachable)" "$WORK/out" || { cat "$WORK/out"; fail "reachable through the compose gateway"; }
run_bounded 60 "$TRUSTMAP" scan "$CASE" --format json --no-store --no-cache --system compose/docker-compose.yml
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exposure"].get("service:compose:compose/catalog") == "internet", d["exposure"]
g = [n for n in d["model"]["nodes"] if n["id"] == "gateway:envoy:compose/envoy/envoy.yaml"]
assert g and "compose" in (g[0].get("hosted_how") or ""), g
PY
exit 0
