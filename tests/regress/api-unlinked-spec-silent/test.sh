# A spec linked to no workload (servers on localhost or a public host, a project that ships only the
# spec or only compose) got exposure none and every API rule skipped it: scanning a directory holding
# only such a spec said "No findings". It is analysed under a stated assumption instead: a public
# server host means the internet, otherwise its clients reach it from outside (deployment unknown).
. "$(dirname "$0")/../lib.sh"
SHOP="$CASE/../../../examples/shop"
mkdir -p "$WORK/in/pub"
cp "$SHOP/api/payments.swagger.yaml" "$WORK/in/"
# the same API, its server a public host
sed 's/^host: .*/host: api.payments-provider.com/' "$SHOP/api/payments.swagger.yaml" >"$WORK/in/pub/payments.swagger.yaml"
run_bounded 60 "$TRUSTMAP" scan "$WORK/in/payments.swagger.yaml" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" partner <<'PY' || fail "the unlinked spec is silent or its assumption unstated (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
want = sys.argv[2]
api = [f for f in j["findings"] if f["rule"].startswith("TM-API")]
eps = {k: v for k, v in j["exposure"].items() if k.startswith("endpoint:")}
svc = [n for n in j["model"]["nodes"] if n["kind"] == "service"]
bad = []
if not api:
    bad.append("no API finding")
if not eps or set(eps.values()) != {want}:
    bad.append("endpoint exposure %s, want all %s" % (sorted(set(eps.values())), want))
if not any(n.get("assumed") for n in svc):
    bad.append("the service states no assumption")
if not any("assumed" in f["title"] for f in api):
    bad.append("no finding says its exposure is assumed")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
run_bounded 60 "$TRUSTMAP" scan "$WORK/in/pub" --format json --no-store
expect_exit 0 1
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); v={x for k,x in j["exposure"].items() if k.startswith("endpoint:")}; sys.exit(0 if v == {"internet"} else 1)' "$WORK/out" \
  || fail "a public server host should make the endpoints internet"
run_bounded 60 "$TRUSTMAP" scan "$WORK/in/payments.swagger.yaml" --format md --no-store
grep -q "No findings" "$WORK/out" && fail "md says No findings"
grep -q "assumed reachable by its clients" "$WORK/out" || fail "md does not state the assumption"
exit 0
