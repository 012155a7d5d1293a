# Istio policies that apply nowhere were silent (istioctl analyze's IST0127, IST0166, IST0101 on
# its own fixtures, tests/e2e/istio_analyzer_compare.py): a selector that selects no scanned
# workload of its namespace (a typo: app: order), a selector on a Gateway API gateway's pods
# (Istio wants targetRefs; the policy now selects nothing), a source namespace pattern that matches
# no namespace of the scan (a grant waiting for whoever creates it). And TM-ID-001 ("any
# authenticated workload is authorized") fired on a rule whose `when` also requires a token.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "policies that apply nowhere (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
said = [d["message"] for d in j["diagnostics"]]
bad = []
def has(text):
    return any(text in m for m in said)
if not has("AuthorizationPolicy shop/no-admin selects no workload"):
    bad.append("the typo'd selector is not said")
if has("AuthorizationPolicy shop/partners selects no workload") or has("shop/anyone selects no workload"):
    bad.append("a selector that selects orders is said to select nothing")
if not has("AuthorizationPolicy shop/gw-by-label selects a Gateway API gateway's pods by label"):
    bad.append("the gateway-pod selector is not said")
if not has("names source namespace 'partners-*', which matches no namespace"):
    bad.append("the namespace pattern matching nothing is not said")
if has("'partner-prod', which matches no namespace"):
    bad.append("an existing namespace is said to match nothing")
id1 = [f for f in j["findings"] if f["rule"] == "TM-ID-001"]
titles = " ".join(f["title"] for f in id1)
if "shop/with-token" in titles:
    bad.append("TM-ID-001 fires on a rule that requires a token: %s" % titles)
if "shop/anyone" not in titles:
    bad.append("TM-ID-001 no longer fires on a bare wildcard: %s" % titles)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
