# A config server's served application.yml that sets spring.cloud.config.override-none: true (with
# allow-override) lets each client's own settings win over the served ones, as petclinic's shared
# configuration does; yet its `include: "*"` was a high TM-API-010 on a client whose own
# application.yml exposes health, info and prometheus only. The served setting now gives way where
# the client sets its own, and still applies to a client that does not (vets).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
act = {f["subject"]: f for f in d["findings"] if f["rule"] == "TM-API-010"}
assert "service:compose:default/customers" not in act, act
assert "service:compose:default/vets" in act and "(*)" in act["service:compose:default/vets"]["title"], act
nodes = {n["id"]: n for n in d["model"]["nodes"]}
assert "setting_only" not in nodes["service:compose:default/customers"], nodes["service:compose:default/customers"]
PY
exit 0
