# Every file under a chart's directory that no render read was skipped as "in the root
# kustomization's directory, but no build of the scan reads it" (there was no kustomization), so
# manifests `helm template` wrote out beside the chart for kubectl apply (mrleloi/wiki-helm's
# deployment/dokuwiki/templates/) were never modelled: a privileged Deployment behind a public
# LoadBalancer left "0 critical, nothing reachable from the internet". Only the chart's own files
# (templates/, charts/, ci/, values files...) belong to it now; a values file no system renders with
# says how to name it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ids = [n["id"] for n in d["model"]["nodes"]]
assert "service:prod/web" in ids, ids
assert any(f["rule"] == "TM-CTR-001" and "prod/web" in f["title"] for f in d["findings"]), [f["title"] for f in d["findings"]]
sk = {s["path"]: s["reason"] for s in d["skipped"]}
assert "rendered/web.yaml" not in sk, sk
r = sk.get("values-production.yaml", "")
assert "a values file of chart (the scan's root)" in r and "systems: - values: [values-production.yaml]" in r, sk
assert not any("kustomization" in v for v in sk.values()), sk
PY
exit 0
