#!/usr/bin/env bash
# aks-store-demo: a kustomize overlay (namespace: pets) beside a root all-in-one manifest naming no
# namespace. The overlay's one Namespace put the root's objects in pets too, after the duplicate
# check had keyed them in "default": two Services pets/web reached the policy model unnoticed, a
# query of pets/web was "ambiguous: name the namespace" though it named one, and the route from
# the internet to the LoadBalancer was refused, so web came out "cluster". Now an object naming no
# namespace is checked for duplicates where the scan puts it, and one namespace's matches are one
# object to a query.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exposure"].get("service:pets/web") == "internet", d["exposure"]
msgs = [x["message"] for x in d["diagnostics"]]
assert any("Service pets/web is defined again" in m for m in msgs), msgs
PY
run_bounded 60 "$TRUSTMAP" query can internet pets/web "$CASE/in" --no-cache
expect_exit 0
grep -q "ALLOW" "$WORK/out" || fail "query: $(cat "$WORK/out" "$WORK/err")"
exit 0
