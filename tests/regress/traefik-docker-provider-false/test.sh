# Traefik's `--providers.docker=false` (RocketChat's compose-traefik.yml) was read as turning the
# Docker provider on: any word naming providers.docker did. Traefik was then modelled as routing
# every container of the project by default (an alpine init job, a cron container), and TM-MESH-013
# fired from routes that do not exist. The provider flags are now read by value (false, False, 0;
# true, bare, or any option of the provider: on), exposedByDefault too. And an alpine job that
# renders the file provider's template (`envsubst < dynamic.tmpl.yml > dynamic.yml`) was listed as
# running that Traefik configuration because its command line names the file: only a service that
# runs Traefik (its image, or an image it builds) hosts one; the job is said in a note.
. "$(dirname "$0")/../lib.sh"
scan() { # DIR
  run_bounded 60 "$TRUSTMAP" scan "$CASE/$1" --no-store --no-cache --format json
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$1.json"
}
scan off
python3 - "$WORK/off.json" <<'PY' || fail "off: see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
assert "gateway:traefik:docker-compose.yml#proxy" not in nodes, "a Docker-provider gateway for --providers.docker=false"
tmpl = nodes["gateway:traefik:traefik/dynamic.tmpl.yml"]
assert "service:compose:default/render-config" not in tmpl.get("hosted_by", []), tmpl
routes = [(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "routes"]
assert not any(t.endswith("/render-config") for _, t in routes), routes
notes = [g for g in d["diagnostics"] if "render-config" in g["message"] and "not Traefik" in g["message"]]
assert notes and notes[0]["path"] == "docker-compose.yml" and notes[0]["line"] == 10, d["diagnostics"]
assert notes[0]["severity"] == "note", notes
PY
scan offcap
python3 - "$WORK/offcap.json" <<'PY' || fail "offcap: see above"
import json, sys
d = json.load(open(sys.argv[1]))
gw = [n["id"] for n in d["model"]["nodes"] if n["kind"] == "gateway"]
assert gw == [], gw
routes = [(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "routes"]
assert not any(t.endswith(("/whoami", "/cron")) for _, t in routes), routes
assert not [f for f in d["findings"] if f["rule"] == "TM-MESH-013"], [f["title"] for f in d["findings"]]
PY
# --providers.docker=false beside --providers.swarm: the swarm provider runs, with its own settings
# (the docker provider's exposedbydefault=false is not the swarm one's); its constraint decides
scan swarm
python3 - "$WORK/swarm.json" <<'PY' || fail "swarm: see above"
import json, sys
d = json.load(open(sys.argv[1]))
routes = [(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "routes"]
assert ("gateway:traefik:stack.yml#edge", "service:compose:default/site") in routes, routes
assert not any(t.endswith("/batch") for _, t in routes), routes
PY
# the provider on, exposedByDefault=False: only the labelled service is routed (quiet shape kept)
scan on
python3 - "$WORK/on.json" <<'PY' || fail "on: see above"
import json, sys
d = json.load(open(sys.argv[1]))
routes = [(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "routes"]
assert ("gateway:traefik:docker-compose.yml#traefik", "service:compose:default/whoami") in routes, routes
assert not any(t.endswith("/worker") for _, t in routes), routes
PY
exit 0
