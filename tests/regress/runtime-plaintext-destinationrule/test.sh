# TM-DRIFT-003 judged plaintext only against a STRICT PeerAuthentication: a DestinationRule whose
# trafficPolicy.tls.mode is ISTIO_MUTUAL (clients are expected to call over mTLS) did not count, so
# plaintext from a to b under a PERMISSIVE PeerAuthentication and such a DestinationRule said nothing.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$CASE/system"
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "TM-DRIFT-003"]
assert len(f) == 1, f"TM-DRIFT-003 findings: {[x['title'] for x in f]}"
assert "DestinationRule (istio.yaml:19)" in f[0]["title"] and "ISTIO_MUTUAL" in f[0]["title"], f[0]["title"]
ev = json.dumps(f[0])
assert "runtime/flows.json" in ev and "istio.yaml" in ev, f"evidence: {ev}"
PY
# DISABLE asks for no mTLS: quiet
mkdir -p "$WORK/quiet"; cp -r "$CASE/system/." "$WORK/quiet/"
sed -i 's/ISTIO_MUTUAL/DISABLE/' "$WORK/quiet/istio.yaml"
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$WORK/quiet"
expect_exit 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); f=[f["title"] for f in d["findings"] if f["rule"]=="TM-DRIFT-003"]; assert not f, f' "$WORK/out" \
  || fail "TM-DRIFT-003 fired with tls mode DISABLE"
