#!/usr/bin/env bash
# Helm trial (ingress-nginx): an identity that may update any ValidatingWebhookConfiguration
# cluster-wide (enough to switch Kyverno or Gatekeeper off, or to send every object a webhook matches
# elsewhere) showed the grant in its permissions but no dangerous capability. Also: a grant on a
# resource the capability table did not list stopped the scan (the table's assertion).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = [f["title"] for f in d["findings"] if f["rule"] == "TM-ID-004"]
assert any("modify-admission" in x for x in t), t
PY
exit 0
