#!/usr/bin/env bash
# argocd-example-apps / Flux trial: an Application (path helm-hooks) and a Flux Kustomization
# (path ./does/not/exist) naming directories the scanned tree does not hold delivered nothing, and
# said nothing. Each is now a warning at its path, and the summary counts them as not modelled.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
w = sorted((x["path"], x["line"]) for x in d["diagnostics"] if x["severity"] == "warning" and "does not hold" in x["message"])
assert w == [("apps/apps.yaml", 26), ("apps/flux.yaml", 12)], d["diagnostics"]
# the Application whose path the tree holds still delivers it
assert any("delivers web into namespace web" in x["message"] for x in d["diagnostics"]), d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format summary --no-store --no-cache
grep -q "incomplete   2 deployments" "$WORK/out" || { cat "$WORK/out"; fail "no incomplete line"; }
exit 0
