# Options were parsed by hand in each command: 'scan --output=F' and '--depth=2' were unknown options
# though '--format=md' worked; 'paths' and 'query' refused --no-store; 'explain tm-mesh-002' and
# '--fail-on HIGH' were usage errors. One table-driven parser now serves every command.
. "$(dirname "$0")/../lib.sh"
SHOP="$CASE/../../../examples/shop"
run_bounded 60 "$TRUSTMAP" scan --output="$WORK/r.md" --depth=2 --focus=service:shop/orders --format=md "$SHOP"
expect_exit 0
[ -s "$WORK/r.md" ] || fail "scan --output=FILE wrote nothing"
run_bounded 60 "$TRUSTMAP" scan --format JSON --no-store "$SHOP"
expect_exit 0
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/out" || fail "--format JSON is not JSON"
run_bounded 60 "$TRUSTMAP" scan --fail-on HIGH --no-store -f summary "$SHOP"
expect_exit 1
grep -q "gate failed" "$WORK/err" || fail "--fail-on HIGH: no gate message"
run_bounded 60 "$TRUSTMAP" paths --from=internet --no-store "$SHOP"
expect_exit 0
run_bounded 60 "$TRUSTMAP" query can internet shop/orders --no-store --store=sqlite:/nonexistent/x.db "$SHOP"
expect_exit 0 1
run_bounded 30 "$TRUSTMAP" explain tm-mesh-002
expect_exit 0
grep -q "^# TM-MESH-002" "$WORK/out" || fail "explain tm-mesh-002 did not print the rule"
run_bounded 30 "$TRUSTMAP" rules --format=JSON --no-store
expect_exit 0
# the same usage error everywhere for an unknown option and a missing value
for cmd in scan diff paths query rules explain import findings accept status history serve; do
  run_bounded 30 "$TRUSTMAP" "$cmd" --bogus-option
  expect_exit 2
  grep -q "^trustmap: $cmd: unknown option '--bogus-option' (see 'trustmap $cmd --help')" "$WORK/err" \
    || { cat "$WORK/err" >&2; fail "$cmd: unknown option message"; }
done
run_bounded 30 "$TRUSTMAP" scan "$SHOP" --depth
expect_exit 2
grep -q "^trustmap: scan: --depth needs a value" "$WORK/err" || fail "missing value message"
# -- ends the options
run_bounded 60 "$TRUSTMAP" scan -f json -- "$SHOP"
expect_exit 0
exit 0
