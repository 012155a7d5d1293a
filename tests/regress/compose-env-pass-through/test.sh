# A compose environment entry without a value (`- CART_ADDR`, `CHECKOUT_ADDR:`) passes the variable
# through from where Compose runs: the shell, else the project's .env. It was read as no value, so
# OpenTelemetry's demo lost nearly every call (checkout -> cart, frontend -> checkout, ...). The .env
# value is used now; a variable only the shell could set stays unknown.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "pass-through environment (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
calls = sorted((e["from"].rsplit("/", 1)[1], e["to"].rsplit("/", 1)[1]) for e in j["model"]["edges"] if e["kind"] == "calls")
want = [("checkout", "cart"), ("checkout", "payment"), ("frontend", "checkout")]
if calls != want:
    print("calls %s, expected %s" % (calls, want), file=sys.stderr)
    sys.exit(1)
PY
exit 0
