# Argo CD's documented hooks (argocd-example-apps' sync-waves and helm-hooks) write
# `metadata.generateName`: such a Job was dropped with a note, so a privileged hook container left
# "findings none". It is modelled under the name the API server gives it, its random suffix xxxxx.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert any(n["id"] == "service:shop/upgrade-sql-schema-xxxxx" for n in d["model"]["nodes"]), [n["id"] for n in d["model"]["nodes"]]
assert any(f["rule"] == "TM-CTR-001" for f in d["findings"]), [f["rule"] for f in d["findings"]]
PY
exit 0
