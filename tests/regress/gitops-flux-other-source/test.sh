#!/usr/bin/env bash
# flux2-multi-tenancy trial: a Flux Kustomization's sourceRef was not read, so an OCIRepository's
# path ./ delivered a copy of this whole tree into its namespace (phantom workloads, more systems),
# and a tenant's GitRepository (another branch) had its ./production read as the tree's own
# directory, silently. Another source than the tree (an OCIRepository or Bucket; a GitRepository other
# than flux-system whose url or ref differs) is now a warning at the path, counted as not modelled.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/b-oci-root" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
svc = sorted(n["id"] for n in d["model"]["nodes"] if n["kind"] == "service")
assert svc == ["service:web/web"], svc
w = [x for x in d["diagnostics"] if x["severity"] == "warning" and "OCIRepository kyverno-controller, another source" in x["message"]]
assert len(w) == 1, d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/a-branch-path" --format summary --no-store --no-cache
grep -q "incomplete   1 deployment" "$WORK/out" || { cat "$WORK/out"; fail "not counted"; }
grep -q "GitRepository dev-team (https://github.com/fluxcd/flux2-multi-tenancy, branch dev-team), another source" "$WORK/err" || { cat "$WORK/err"; fail "no warning"; }
exit 0
