# istio-tutorial's gateway-customer.yml: the Gateway has no namespace (placed in default), the
# VirtualService in tutorial names `customer-gateway`. The note said the gateway "was not
# scanned", though it was: a reference without "ns/" names the VirtualService's own namespace,
# and the note now says where the Gateway of that name is and how to write the reference.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 -c "
import json
d = json.load(open('$WORK/out'))
m = [x['message'] for x in d['diagnostics'] if 'customer-gateway' in x['message']]
assert m and 'is in default' in m[0] and 'was not scanned' not in m[0], m" || fail "see above"
exit 0
