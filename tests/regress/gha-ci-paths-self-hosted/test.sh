# bank-of-anthos: TM-CICD-006 said a workflow runs a fork's pull request on a self-hosted runner
# (high), while `paths --from ci` answered that no workflow runs on events outsiders cause: the
# walks started only from workflows with privileged triggers. A pull request's code on a
# self-hosted runner is an outsider's foothold too.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" paths "$CASE/in" --from ci --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["reached"] >= 1 and not d["note"], d
PY
