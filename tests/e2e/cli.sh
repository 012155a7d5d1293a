#!/usr/bin/env bash
# End-to-end: the CLI as a user runs it. Exit codes, stderr, files written.
# usage: cli.sh TRUSTMAP_BINARY SOURCE_DIR [CORPUS_DIR]
set -uo pipefail
tm="$1"; src="$2"; corpus="${3:-}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export TRUSTMAP_STORE=none # no register written into the source tree; the register checks set their own
pass=0; fail=0

check() { # name expected_exit actual_exit
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); else echo "FAIL: $1: exit $3, expected $2" >&2; fail=$((fail + 1)); fi
}
contains() { # name file pattern
  if grep -qE -- "$3" "$2"; then pass=$((pass + 1)); else echo "FAIL: $1: '$3' not in $2:" >&2; head -20 "$2" >&2; fail=$((fail + 1)); fi
}

"$tm" version >"$tmp/out" 2>&1; check "version" 0 $?
contains "version text" "$tmp/out" '^trustmap [0-9]+\.[0-9]+\.[0-9]+$'

"$tm" >"$tmp/out" 2>&1; check "no command" 2 $?
"$tm" frobnicate 2>"$tmp/err"; check "unknown command" 2 $?
contains "unknown command message" "$tmp/err" "unknown command 'frobnicate'"
"$tm" serve --listen nowhere 2>"$tmp/err"; check "serve: a listen address that is not one" 2 $?
contains "serve: listen message" "$tmp/err" "HOST:PORT"
"$tm" scan --format xml "$src/examples" 2>"$tmp/err"; check "bad format" 2 $?
contains "bad format message" "$tmp/err" "unknown format 'xml'"
"$tm" scan --fail-on severe "$src/examples" 2>"$tmp/err"; check "bad severity" 2 $?
"$tm" scan --bogus 2>"$tmp/err"; check "unknown option" 2 $?
"$tm" scan -o 2>"$tmp/err"; check "missing value" 2 $?

"$tm" scan "$tmp/does-not-exist" >/dev/null 2>"$tmp/err"; check "missing path" 3 $?
contains "missing path message" "$tmp/err" "does-not-exist: error: cannot read"

printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "oops\n' >"$tmp/bad.yaml"
"$tm" scan "$tmp/bad.yaml" >/dev/null 2>"$tmp/err"; check "invalid single file" 3 $?
contains "diag has path:line:col" "$tmp/err" 'bad.yaml:4:[0-9]+: error: '
contains "diag shows the source line" "$tmp/err" '^  +name: "oops$'
contains "diag shows a caret" "$tmp/err" '^ +\^$'
contains "no report: says why" "$tmp/err" 'no input file could be read \(errors above\); nothing to analyse'

# A bad file among good ones: a diagnostic, exit 0, the report lists it.
mkdir -p "$tmp/sys"
cp "$tmp/bad.yaml" "$tmp/sys/"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: prod}\nspec:\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: api, image: "api:1"}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: prod}\nspec: {type: NodePort, selector: {app: api}, ports: [{port: 80, nodePort: 30080}]}\n' >"$tmp/sys/app.yaml"
"$tm" scan "$tmp/sys" --format json -o "$tmp/report.json" 2>"$tmp/err"; check "scan with one bad file" 0 $?
python3 -m json.tool "$tmp/report.json" >/dev/null; check "json report parses" 0 $?
contains "json lists the diagnostic" "$tmp/report.json" '"path": "bad.yaml"'
contains "json has the service" "$tmp/report.json" '"id": "service:prod/api"'
contains "json marks the NodePort edge" "$tmp/report.json" '"via": "NodePort"'

"$tm" scan "$tmp/sys" >"$tmp/out.md" 2>/dev/null; check "md when not a terminal" 0 $?
contains "md is the artifact" "$tmp/out.md" '^## 1\. What are we building\?'
"$tm" scan "$tmp/sys" -f summary >"$tmp/out.txt" 2>/dev/null; check "summary" 0 $?
contains "summary lists the service" "$tmp/out.txt" 'services +1 +\(prod/api\)'
"$tm" scan "$tmp/sys" --fail-on critical >/dev/null 2>&1; check "gate below its findings" 0 $?
"$tm" scan "$tmp/sys" --fail-on low >/dev/null 2>"$tmp/gate.err"; check "gate trips on open findings" 1 $?
contains "the gate says why" "$tmp/gate.err" '^trustmap: gate failed: [0-9]+ open findings? at or above low: TM-'
"$tm" scan "$src/examples/shop" --fail-on critical -o /dev/null 2>"$tmp/gate.err"; check "example fails a critical gate" 1 $?

# Hostile names never reach the terminal raw.
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "evil\\u001b[31m"\nspec: {containers: [{name: a, image: b}]}\n' >"$tmp/sys/evil.yaml"
"$tm" scan "$tmp/sys" -f summary >"$tmp/out.txt" 2>/dev/null; check "hostile name scan" 0 $?
if grep -q $'\x1b' "$tmp/out.txt"; then echo "FAIL: escape character reached the summary" >&2; fail=$((fail + 1)); else pass=$((pass + 1)); fi

# Determinism: two runs, same bytes.
"$tm" scan "$src/examples" -f json -o "$tmp/a.json" 2>/dev/null
"$tm" scan "$src/examples" -f json -o "$tmp/b.json" 2>/dev/null
cmp -s "$tmp/a.json" "$tmp/b.json"; check "deterministic json" 0 $?

# Symlinks that leave the root are not followed.
mkdir -p "$tmp/outside" "$tmp/root"
cp "$tmp/sys/app.yaml" "$tmp/outside/"
ln -s "$tmp/outside" "$tmp/root/link"
"$tm" scan "$tmp/root" -f json -o "$tmp/link.json" 2>/dev/null; check "symlink scan" 0 $?
contains "symlink skipped with reason" "$tmp/link.json" 'symlink leaves the scanned root'

# query: exit codes follow kubectl auth can-i (0 allowed, 1 denied), names and options are checked.
ex="$src/examples/shop"
"$tm" query can internet shop/orders --method POST --path /api/v1/orders "$ex" >"$tmp/q.txt" 2>&1; check "query allowed exits 0" 0 $?
contains "query names the deciding policy and line" "$tmp/q.txt" 'decided by: AuthorizationPolicy istio-system/require-jwt  \(istio/security.yaml:[0-9]+:[0-9]+\)'
"$tm" query can internet shop/orders --method POST --path /api/v2/orders "$ex" >"$tmp/q.txt" 2>&1; check "query denied exits 1" 1 $?
contains "query denied says 403" "$tmp/q.txt" 'DENY \(403\)'
"$tm" query can internet nosuch/thing "$ex" >"$tmp/q.txt" 2>&1; check "query unknown name exits 2" 2 $?
contains "query unknown name says so" "$tmp/q.txt" "names no workload or Service"
"$tm" query can internet >"$tmp/q.txt" 2>&1; check "query missing destination exits 2" 2 $?
"$tm" query can a b --token maybe "$ex" >"$tmp/q.txt" 2>&1; check "query bad token exits 2" 2 $?
"$tm" query can a b --port 99999 "$ex" >"$tmp/q.txt" 2>&1; check "query bad port exits 2" 2 $?
"$tm" query can a b --header nocolon "$ex" >"$tmp/q.txt" 2>&1; check "query bad header exits 2" 2 $?
"$tm" query frobnicate "$ex" >"$tmp/q.txt" 2>&1; check "query unknown subcommand exits 2" 2 $?
"$tm" query can a b "$tmp/does-not-exist" >"$tmp/q.txt" 2>&1; check "query unreadable input exits 3" 3 $?
"$tm" query who-can-call shop/payments "$ex" -f json >"$tmp/q.json" 2>/dev/null; check "who-can-call exits 0" 0 $?
# payments runs on the node's network: its NetworkPolicy isolates nothing, every workload calls it
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if [c["source"] for c in d["callers"]]==["service:shop/catalog","service:shop/orders","service:shop/notifications","service:shop/storefront"] else 1)' "$tmp/q.json"
check "who-can-call json lists the callers" 0 $?
# hostile names (from a file) are printed escaped, never as terminal control sequences
cat >"$tmp/esc.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: x, namespace: a}
spec: {selector: {app: x}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: x, namespace: a}
spec: {template: {metadata: {labels: {app: x}}, spec: {containers: [{name: x, image: x}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: "e\u001b[31mvil", namespace: a}
spec: {template: {metadata: {labels: {app: e}}, spec: {containers: [{name: e, image: e}]}}}
YAML
"$tm" query who-can-call a/x "$tmp/esc.yaml" >"$tmp/q.txt" 2>&1; check "who-can-call with a hostile name" 0 $?
contains "the hostile source is listed" "$tmp/q.txt" 'service:a/e.*vil'
if grep -q $'\x1b' "$tmp/q.txt"; then check "query output escapes control characters" 0 1; else check "query output escapes control characters" 0 0; fi

# paths: attack paths from a position, each hop with what let it pass
"$tm" paths --from internet "$ex" >"$tmp/p.txt" 2>&1; check "paths from the internet" 0 $?
contains "paths reach the shared identity through the gateway" "$tmp/p.txt" '-> identity:k8s:shop/shop-backend  \(acts as'
contains "paths name the deciding policy" "$tmp/p.txt" 'routes; AuthorizationPolicy istio-system/require-jwt\)  istio/gateway.yaml:[0-9]+'
"$tm" paths --from internet --to identity:k8s:shop-admin/admin "$ex" >"$tmp/p.txt" 2>&1; check "paths to an unreachable node" 0 $?
contains "the NodePort is blocked by the default deny" "$tmp/p.txt" 'is not reachable from internet'
"$tm" paths --from workload:shop-admin/admin --format json "$ex" >"$tmp/p.json" 2>/dev/null; check "paths json" 0 $?
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if any(p["to"]=="identity:k8s:shop-admin/admin" for p in d["paths"]) else 1)' "$tmp/p.json"
check "a compromised admin workload reaches its cluster-admin identity" 0 $?
"$tm" paths --from ci "$ex" >"$tmp/p.txt" 2>&1; check "paths from ci" 0 $?
contains "a pull request reaches the cloud administrator role" "$tmp/p.txt" 'identity:aws:shop-deployer  \[cloud administrator\]'
"$tm" paths --from ci "$tmp/sys" >"$tmp/p.txt" 2>&1; check "paths from ci without workflows" 0 $?
contains "ci says what is missing" "$tmp/p.txt" 'no workflow runs on events outsiders cause'
"$tm" paths --from nowhere "$ex" >"$tmp/p.txt" 2>&1; check "paths from an unknown position" 2 $?
"$tm" paths "$ex" >"$tmp/p.txt" 2>&1; check "paths without --from" 2 $?
"$tm" rules >"$tmp/r.txt" 2>&1; check "rules" 0 $?
contains "rules lists the library" "$tmp/r.txt" '^TM-API-001 '
"$tm" explain TM-ID-005 >"$tmp/r.txt" 2>&1; check "explain" 0 $?
contains "explain says how to fix" "$tmp/r.txt" '^## How to fix'
"$tm" explain TM-NOPE-999 >"$tmp/r.txt" 2>&1; check "explain an unknown rule" 2 $?

# Real third-party systems, when the corpus is present.
if [ -n "$corpus" ] && [ -d "$corpus/online-boutique" ]; then
  "$tm" scan "$corpus/online-boutique" -f json -o "$tmp/ob.json" 2>/dev/null; check "online-boutique" 0 $?
  for svc in adservice cartservice checkoutservice currencyservice emailservice frontend paymentservice \
             productcatalogservice recommendationservice shippingservice redis-cart loadgenerator; do
    contains "online-boutique has $svc" "$tmp/ob.json" "\"id\": \"service:default/$svc\""
  done
  contains "online-boutique frontend-external is exposed" "$tmp/ob.json" '"via": "LoadBalancer"'
  "$tm" scan "$corpus/sock-shop" -f json -o "$tmp/ss.json" 2>/dev/null; check "sock-shop" 0 $?
  contains "sock-shop front-end" "$tmp/ss.json" '"id": "service:sock-shop/front-end"'
  # its Prometheus alert rules say "{{ $value }}" inside quoted strings: text, not an unrendered template
  if grep -q 'go template, not rendered' "$tmp/ss.json"; then
    echo "FAIL: sock-shop: a quoted {{ \$value }} read as an unrendered template" >&2; fail=$((fail + 1))
  else pass=$((pass + 1)); fi
else
  echo "corpus not found at '${corpus}': skipping the third-party corpus checks" >&2
fi

# Diagrams: formats and options
"$tm" scan "$src/examples/shop" --format svg -o "$tmp/d.svg" 2>"$tmp/err"; check "svg" 0 $?
contains "svg element" "$tmp/d.svg" '^<svg'
"$tm" scan "$src/examples/shop" --format dot --highlight 4281fb05b6902fe4 >"$tmp/d.dot" 2>"$tmp/err"; check "dot --highlight" 0 $?
contains "highlighted path" "$tmp/d.dot" 'class="tm-node kind-[a-z]+( exposure-[a-z]+)? highlight"'
"$tm" scan "$src/examples/shop" --format mermaid --focus service:shop/payments --depth 1 >"$tmp/d.mmd" 2>"$tmp/err"; check "mermaid --focus" 0 $?
contains "focus keeps the neighbourhood" "$tmp/d.mmd" '"orders: 7 endpoints"'
if grep -q '"admin"' "$tmp/d.mmd"; then echo "FAIL: focus drew a node two hops away" >&2; fail=$((fail + 1)); else pass=$((pass + 1)); fi
"$tm" scan "$src/examples/shop" --format svg --focus service:nowhere/x 2>"$tmp/err"; check "unknown --focus" 2 $?
"$tm" scan "$src/examples/shop" --format svg --detail some 2>"$tmp/err"; check "bad --detail" 2 $?
"$tm" scan "$src/examples/shop" --format svg --depth 0 2>"$tmp/err"; check "bad --depth" 2 $?
"$tm" scan "$src/examples/shop" --format dot --highlight nope 2>"$tmp/err"; check "unknown --highlight" 2 $?

# The register: store errors exit 4 and say what is wrong; the default store lives outside the tree,
# in $XDG_STATE_HOME/trustmap/ (tests/e2e/adoption_store.sh covers the rest of where it lives).
export XDG_STATE_HOME="$tmp/state"
reg="$tmp/reg"; mkdir -p "$reg" && cp -r "$src/examples/shop/." "$reg/" && rm -rf "$reg/.trustmap"
env -u TRUSTMAP_STORE "$tm" scan "$reg" -o /dev/null 2>"$tmp/err"; check "scan records to the default store" 0 $?
[ ! -e "$reg/.trustmap" ] && ls "$XDG_STATE_HOME"/trustmap/*.db >/dev/null; check "the default store is in \$XDG_STATE_HOME/trustmap" 0 $?
regdb=$(ls "$XDG_STATE_HOME"/trustmap/*.db | head -1)
env -u TRUSTMAP_STORE "$tm" findings "$reg" --format json >"$tmp/out" 2>"$tmp/err"; check "findings reads it" 0 $?
contains "findings lists the register" "$tmp/out" '"fingerprint": "[0-9a-f]{16}"'
env -u TRUSTMAP_STORE "$tm" findings "$tmp" 2>"$tmp/err"; check "findings without a register" 4 $?
contains "no register message" "$tmp/err" "no register at .*trustmap scan"
head -c 5000 /dev/urandom >"$tmp/garbage.db"
"$tm" scan "$src/examples/shop" --store "sqlite:$tmp/garbage.db" -o /dev/null 2>"$tmp/err"; check "corrupt store" 4 $?
contains "corrupt store message" "$tmp/err" "garbage.db"
"$tm" findings "$src/examples/shop" --store "$tmp/garbage.db" 2>"$tmp/err"; check "findings on a corrupt store" 4 $?
"$tm" scan "$src/examples/shop" --store "postgresql:///x?host=$tmp/nowhere&connect_timeout=2" -o /dev/null 2>"$tmp/err"
check "unreachable PostgreSQL" 4 $?
contains "unreachable PostgreSQL message" "$tmp/err" "cannot connect"
"$tm" scan "$src/examples/shop" --store "postgresql://u:hunter2@127.0.0.1:1/x?connect_timeout=2" -o /dev/null 2>"$tmp/err"
check "PostgreSQL password not printed (exit)" 4 $?
if grep -q hunter2 "$tmp/err"; then echo "FAIL: a store password was printed" >&2; fail=$((fail + 1)); else pass=$((pass + 1)); fi
"$tm" scan "$src/examples/shop" --store x --no-store 2>"$tmp/err"; check "--store with --no-store" 2 $?
TRUSTMAP_NOW=yesterday "$tm" scan "$src/examples/shop" --store "$tmp/s.db" -o /dev/null 2>"$tmp/err"; check "bad TRUSTMAP_NOW" 2 $?
"$tm" accept 0123456789abcdef --owner o --until 2099-01-01 --why w "$reg" --store "$regdb" 2>"$tmp/err"
check "accept an unknown fingerprint" 2 $?
"$tm" findings "$reg" --store "$regdb" --status bogus 2>"$tmp/err"; check "findings --status bogus" 2 $?
"$tm" history "$reg" --store "$regdb" --stale-days 0 2>"$tmp/err"; check "history --stale-days 0" 2 $?
"$tm" history "$reg" --store "$regdb" --format csv >"$tmp/out" 2>"$tmp/err"; check "history csv" 0 $?
contains "history csv header" "$tmp/out" '^id,root,time,command'
ro="$tmp/ro"; mkdir -p "$ro" && cp "$src/examples/shop/k8s/orders.yaml" "$ro/" && chmod 555 "$ro"
if [ "$(id -u)" != 0 ]; then
  TRUSTMAP_STORE=tree "$tm" scan "$ro" -o /dev/null 2>"$tmp/err"; check "read-only root: scan goes on" 0 $?
  contains "read-only root: says it is not recording" "$tmp/err" "not recording this run"
fi
chmod 755 "$ro"

# scan -: documents on standard input, named <stdin>, nothing recorded
"$tm" scan - --format json <"$src/examples/shop/k8s/storefront.yaml" >"$tmp/out" 2>"$tmp/err"; check "scan - reads stdin" 0 $?
contains "scan - models what it read" "$tmp/out" '"service:shop/storefront"'
contains "scan - names its input <stdin> (JSON escapes < and >)" "$tmp/out" '"path": "\\u003cstdin\\u003e"'
printf 'apiVersion: v1\nkind: Service\nmetadata: {name: x\n' | "$tm" scan - -o /dev/null 2>"$tmp/err"
check "scan - with broken YAML" 3 $?
contains "scan - positions say <stdin>:line:col" "$tmp/err" '^<stdin>:[0-9]+:[0-9]+: error'

# -q: on stderr only a count of the problems reading the inputs
qdir="$tmp/quiet"; mkdir -p "$qdir"; cp "$src/examples/shop/k8s/storefront.yaml" "$qdir/"; printf 'a: [\n' >"$qdir/bad.yaml"
"$tm" scan "$qdir" -q -o /dev/null 2>"$tmp/err"; check "scan -q" 0 $?
contains "scan -q counts the problems" "$tmp/err" '^trustmap: 1 problem reading the inputs'
if grep -q 'bad.yaml:2:1' "$tmp/err"; then echo "FAIL: scan -q printed the diagnostic" >&2; fail=$((fail + 1)); else pass=$((pass + 1)); fi

# the terminal summary: open findings by severity, decided ones counted apart and not listed, the rest
# of the open ones counted by rule
"$tm" scan "$src/examples/shop" --format summary >"$tmp/out" 2>"$tmp/err"; check "summary" 0 $?
contains "summary counts open findings" "$tmp/out" '^  findings     [0-9]+ open \('
contains "summary counts decided findings apart" "$tmp/out" '; 1 decided \(1 accepted'
contains "summary says how many more are open, by rule" "$tmp/out" '^    \+[0-9]+ more open: TM-[A-Z]+-[0-9]+ x[0-9]+'

# progress lines are for a terminal only: never in a report or a redirected stderr
"$tm" scan "$src/examples/shop" --format json >"$tmp/out" 2>"$tmp/err"; check "scan with stderr to a file" 0 $?
if grep -q 'trustmap: rules\.\.\.\|trustmap: reading inputs' "$tmp/out" "$tmp/err"; then
  echo "FAIL: a progress line outside a terminal" >&2; fail=$((fail + 1)); else pass=$((pass + 1)); fi

# on a terminal (script(1) gives one): the phases and the files read, on stderr, erased at the end;
# the report written to a file carries none of it
if command -v script >/dev/null; then
  env -u CI TRUSTMAP_PROGRESS_AFTER=0 script -qec "'$tm' scan '$src/examples/shop' --no-store --no-cache -f json -o '$tmp/tty.json'" /dev/null >"$tmp/tty" 2>&1
  check "scan on a terminal" 0 $?
  contains "progress: files read, counted" "$tmp/tty" 'trustmap: reading inputs: [0-9]+ of [0-9]+ files\.\.\.'
  contains "progress: the model, then the analysis" "$tmp/tty" 'trustmap: building the model\.\.\..*trustmap: rules, exposure and blast radius'
  if grep -q 'trustmap: ' "$tmp/tty.json"; then
    echo "FAIL: a progress line in the report" >&2; fail=$((fail + 1)); else pass=$((pass + 1)); fi
else
  echo "skip: progress on a terminal (no script(1) on this machine)"
fi

# TRUSTMAP_TIMINGS: each phase on a line of its own with its start time, without a terminal, and the
# end of the analysis; the report on stdout carries none of it
TRUSTMAP_TIMINGS=1 "$tm" scan "$src/examples/shop" --no-store --no-cache -f json >"$tmp/timed.json" 2>"$tmp/timed.err"
check "scan with TRUSTMAP_TIMINGS" 0 $?
contains "timings: the model's start" "$tmp/timed.err" '^trustmap: +[0-9]+\.[0-9]{3} s: building the model$'
contains "timings: the rules' start" "$tmp/timed.err" '^trustmap: +[0-9]+\.[0-9]{3} s: rules, exposure and blast radius$'
contains "timings: the end" "$tmp/timed.err" '^trustmap: +[0-9]+\.[0-9]{3} s: analysed$'
if grep -q 'files\.\.\.\|reading inputs: [0-9]' "$tmp/timed.err"; then
  echo "FAIL: timings print counts" >&2; fail=$((fail + 1)); else pass=$((pass + 1)); fi
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/timed.json"; then
  pass=$((pass + 1)); else echo "FAIL: timings in the report" >&2; fail=$((fail + 1)); fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
