# A file skipped because it belongs to another deployment variant named that variant "?" when it
# stood in a unit every Kubernetes (or compose) variant shares: "in the variant ? (scan --system ?)",
# a name 'scan --system' refuses. It names the variant (or the side's variants) now, and the name it
# suggests is one 'scan --system' takes.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --system docker-compose.yml --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "skip reasons (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
why = {s["path"]: s["reason"] for s in j["skipped"]}
if why.get("k8s/web.yaml") != "in the Kubernetes variant k8s (scan --system k8s)":
    print("k8s/web.yaml: %r" % why.get("k8s/web.yaml"), file=sys.stderr)
    sys.exit(1)
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --system k8s --format summary --no-store
expect_exit 0 1
exit 0
