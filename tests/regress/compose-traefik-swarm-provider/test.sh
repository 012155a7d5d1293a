# Traefik 3's Swarm provider (`--providers.swarm.*`, dockerswarm.rocks' traefik-v3.yml) was not a
# provider flag: a note said Traefik "reads its configuration from a file that is not read" and the
# default of exposing every service was not applied, so nothing was routed. --providers.swarm is
# read as the Docker provider in Swarm mode: exposed by default unless exposedByDefault=false.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/v3" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "v3: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [x for x in d["diagnostics"] if "not read" in x["message"]], d["diagnostics"]
assert d["exposure"].get("service:compose:default/echo") == "internet", d["exposure"]
g = [n for n in d["model"]["nodes"] if n["kind"] == "gateway"][0]
assert "Swarm provider" in g["hosted_how"], g
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/v3-off" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "v3-off: see above"
import json, sys
d = json.load(open(sys.argv[1]))
x = d["exposure"]
assert x.get("service:compose:default/shop") == "internet" and x.get("service:compose:default/echo") != "internet", x
PY
exit 0
