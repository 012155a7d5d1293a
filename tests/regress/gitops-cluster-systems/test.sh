#!/usr/bin/env bash
# fluxcd/flux2-kustomize-helm-example's shape: clusters/prod and clusters/staging, each a directory of
# Flux Kustomizations (and a flux-system bootstrap) naming ./apps/prod or ./apps/staging and ./infra.
# The plan made variants of apps/prod, apps/staging and the two cluster directories, and a cluster's
# system held its Kustomizations alone: no service, nothing exposed, the gate passed. Each cluster is
# now the system of what it delivers (apps/prod's LoadBalancer in clusters/prod alone), named by its
# directory, and a directory one cluster alone delivers (./extras) is in that cluster's system alone.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
names = [s["name"] for s in d["systems"]]
assert names == ["in: clusters/prod", "in: clusters/staging"], names
assert d["exposure"].get("service:web/web") == "internet", d["exposure"]
by = {f["rule"]: f.get("variants") for f in d["findings"]}
assert by.get("TM-SEC-001") == ["clusters/prod"], by
assert by.get("TM-MESH-004") == ["clusters/prod"], by
assert by.get("TM-CTR-004") == ["clusters/prod", "clusters/staging"], by
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache --system clusters/staging
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exposure"].get("service:web/web") == "cluster", d["exposure"]
assert not [f for f in d["findings"] if f["rule"] == "TM-SEC-001"], d["findings"]
PY
exit 0
