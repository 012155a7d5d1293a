# A VirtualService the API server refuses (apiVersion networking.istio.io/v1aplha3) or Istio rejects
# (`prefix:` and `host:` at the indentation of `uri:` and `destination:`) was read without a word:
# robot-shop's gateway routed nowhere and nothing said why. Each is a warning at its line now.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "Istio warnings (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
got = sorted((d["line"], d["severity"], d["message"].split(" ")[0]) for d in j["diagnostics"] if d["path"] == "gateway.yaml")
want = [(11, "warning", "apiVersion"), (20, "warning", "'prefix'"), (23, "warning", "'host'")]
if got != want:
    print("diagnostics %s, expected %s" % (got, want), file=sys.stderr)
    sys.exit(1)
PY
exit 0
