#!/usr/bin/env bash
# eShopOnDapr trial: an Envoy route to the gateway's own loopback (127.0.0.1:3500, a Dapr sidecar)
# vanished without a word, although its prefix_rewrite (/v1.0/invoke/basket/method/) names the app
# Dapr invokes. Now a route to Dapr's service invocation API reaches the app it names (Envoy's
# rewrite, nginx's proxy_pass path), and any other route to the loopback is a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/envoy" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
r = {(e["to"].split("/")[-1], tuple(e.get("paths", []))) for e in d["model"]["edges"]
     if e["kind"] == "routes" and e["from"].startswith("gateway:")}
assert ("basket", ("/b/",)) in r and ("catalog", ("/c/",)) in r, r
notes = [g for g in d["diagnostics"] if "loopback" in g["message"]]
assert len(notes) == 1 and "/local/" in notes[0]["message"] and notes[0]["line"] == 20, notes
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/nginx" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
r = {(e["to"].split("/")[-1], tuple(e.get("paths", []))) for e in d["model"]["edges"]
     if e["kind"] == "routes" and e["from"].startswith("gateway:")}
assert ("orders", ("/orders/",)) in r, r
PY
exit 0
