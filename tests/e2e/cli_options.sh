#!/usr/bin/env bash
# The option tables, their help and docs/cli.md agree, and every command parses the same way:
# every option 'trustmap CMD --help' prints appears in docs/cli.md's section for CMD; -h works
# everywhere; --x=v works for a few options of every command; --no-store is accepted everywhere
# (ignored, or exit 4 where a register is needed); explain tm-mesh-002 and --fail-on HIGH work.
set -u
tm="$1"; root="$2"
doc="$root/docs/cli.md"
shop="$root/examples/shop"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
export TRUSTMAP_STORE=none
fails=0
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# the text of docs/cli.md's section "## `trustmap CMD..." up to the next "## "
section() {
  awk -v cmd="$1" '
    /^## / { on = index($0, "## `trustmap " cmd) == 1 && (substr($0, length("## `trustmap " cmd) + 1, 1) ~ /[` ]/) }
    on { print }' "$doc"
}

commands="scan import diff query paths rules explain findings accept status history serve"
for cmd in $commands; do
  "$tm" "$cmd" --help >"$tmp/help" 2>"$tmp/err" || bad "$cmd --help exited $?"
  "$tm" "$cmd" -h >"$tmp/h" 2>&1 || bad "$cmd -h exited $?"
  cmp -s "$tmp/help" "$tmp/h" || bad "$cmd: -h and --help differ"
  "$tm" help "$cmd" >"$tmp/h" 2>&1 || bad "help $cmd exited $?"
  cmp -s "$tmp/help" "$tmp/h" || bad "help $cmd differs from $cmd --help"
  grep -q "^usage: trustmap $cmd" "$tmp/help" || bad "$cmd --help: no usage line"
  section "$cmd" >"$tmp/doc"
  [ -s "$tmp/doc" ] || { bad "docs/cli.md has no section for $cmd"; continue; }
  # the options the help lists: lines "  -x, --name ARG" or "      --name ARG"
  opts=$(grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z0-9-]*|^      --[a-z][a-z0-9-]*' "$tmp/help" | grep -oE -- '--[a-z0-9-]+')
  [ -n "$opts" ] || bad "$cmd --help lists no options"
  for o in $opts; do
    grep -qE -- "\`$o[\` =]" "$tmp/doc" || bad "$cmd: $o is in --help but not in docs/cli.md's section"
  done
  # short forms too
  for s in $(grep -oE '^  -[a-zA-Z],' "$tmp/help" | grep -oE -- '-[a-zA-Z]'); do
    grep -qF -- "\`$s\`" "$tmp/doc" || bad "$cmd: $s is in --help but not in docs/cli.md's section"
  done
  # the same usage error for an unknown option
  "$tm" "$cmd" --no-such-option >/dev/null 2>"$tmp/err"; rc=$?
  [ $rc -eq 2 ] || bad "$cmd --no-such-option: exit $rc, want 2"
  grep -q "^trustmap: $cmd: unknown option '--no-such-option'" "$tmp/err" || bad "$cmd: unknown option message: $(cat "$tmp/err")"
  # --no-store is never an unknown option
  "$tm" "$cmd" --no-store --help >/dev/null 2>"$tmp/err" || bad "$cmd --no-store --help: $(cat "$tmp/err")"
done

# run ARGS... expecting exit WANT
expect() {
  local want="$1"; shift
  "$tm" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  [ "$rc" -eq "$want" ] || bad "trustmap $*: exit $rc, want $want: $(head -3 "$tmp/err")"
}

# --x=v forms, a few per command; --no-store accepted by each
expect 0 scan --format=json --output="$tmp/s.json" --depth=3 --detail=ALL --no-store "$shop"
[ -s "$tmp/s.json" ] || bad "scan --output=FILE wrote nothing"
expect 1 scan --fail-on HIGH --format=SUMMARY --no-store "$shop"
grep -q "gate failed" "$tmp/err" || bad "--fail-on HIGH: no gate message"
expect 1 scan --fail-on=critical -f md --no-store "$shop"
expect 2 scan --fail-on=severe "$shop"
expect 0 import otm --format=MD --output="$tmp/i.md" --no-store "$root/tests/golden/report/example/expected.otm.json"
[ -s "$tmp/i.md" ] || bad "import --output=FILE wrote nothing"
expect 0 paths --from=internet --format=JSON --no-store "$shop"
expect 0 paths --from internet --to=service:shop/payments --store=sqlite:/nonexistent/x.db "$shop"
expect 0 query can internet shop/orders --method=POST --path=/api/v1/orders --format=JSON --no-store "$shop"
# as one says it: "can internet call shop/orders"
expect 0 query can internet call shop/orders --method=POST --path=/api/v1/orders --no-store "$shop"
expect 1 query can internet shop/orders --method POST --path=/api/v2/orders --token=NONE "$shop"
expect 0 query who-can-call shop/payments --port=8080 --header='x-a: b' --no-store "$shop"
expect 2 query can internet shop/orders --port=70000 "$shop"
expect 2 query "$shop" who-can-call shop/payments
grep -q "the question comes first" "$tmp/err" || bad "query PATH who-can-call: no word on the order"
expect 0 rules --format=MD --no-store
expect 0 explain tm-mesh-002 --no-store
grep -q '^# TM-MESH-002' "$tmp/out" || bad "explain tm-mesh-002 printed no page"
expect 0 explain TM-MESH-002
expect 2 explain tm-nope-999
# the register commands need a register: --no-store is accepted, and says so (exit 4)
store="$tmp/reg.db"
expect 0 scan --store="$store" -f json -o "$tmp/r.json" "$shop"
expect 0 findings --store="$store" --status=OPEN,accepted --severity=High --format=CSV "$shop"
expect 0 findings --store "$store" --rule=tm-api --format=json "$shop"
grep -q '"rule": "TM-API-' "$tmp/out" || bad "findings --rule=tm-api found no TM-API finding"
expect 0 history --store="$store" --stale-days=10 --format=JSON "$shop"
expect 2 history --store="$store" --stale-days=0 "$shop"
for cmd in findings history serve; do
  expect 4 "$cmd" --no-store "$shop"
done
fp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["findings"][0]["fingerprint"])' "$tmp/r.json")
expect 4 accept "$fp" --owner=me --until=2999-01-01 --why=test --no-store "$shop"
expect 4 status "$fp" Mitigated --why=x --no-store "$shop"
expect 0 status "$fp" MITIGATED --why=test --store="$store" "$shop"
# -- ends the options
expect 0 scan -f json --no-store -- "$shop"
expect 2 diff --format=xml a b

[ "$fails" -eq 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "cli options: every command's help matches docs/cli.md; forms and values accepted"
