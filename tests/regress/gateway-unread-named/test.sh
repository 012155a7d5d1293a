# KrakenD and Apache APISIX standalone configurations were skipped as "no recognised document (not an
# api spec, manifest...)", and a krakend.json held in a ConfigMap was ignored with no word: a reader
# took the services they forward to for unrouted. They are now named as gateways recognised and not
# modelled, in the skipped files and in a note at the ConfigMap value.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
s = json.dumps(d)
skipped = {x["path"]: x["reason"] for x in d.get("skipped", [])}
assert "KrakenD" in skipped.get("krakend.json", ""), skipped
assert "APISIX" in skipped.get("apisix.yaml", ""), skipped
notes = [x for x in d["diagnostics"] if "KrakenD" in x["message"] and x["path"] == "k8s/krakend.yaml"]
assert notes and notes[0]["line"] >= 7, d["diagnostics"]
PY
exit 0
