# A compose fragment in a directory with no base file (ory's quickstart-oathkeeper.yml, which only adds
# settings to a service quickstart.yml defines and is run as `-f quickstart.yml -f
# quickstart-oathkeeper.yml`) became a project of its own holding a service with no image, silently.
# It is now laid over the file of its directory that defines its bare services, saying so, and that
# file stays a project of its own; a fragment no file of its directory completes is a warning, and so
# is an add-on in a directory below its project's (docker-elk's extensions/filebeat/filebeat-compose.yml,
# depending on the top file's elasticsearch), naming the file it leans on and the command.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/hosted" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "the fragment over its stand-in base (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
svc = {n["id"]: n for n in j["model"]["nodes"] if n["id"].startswith("service:")}
api = svc.get("service:compose:default[stack-debug]/api")
if not api or api.get("images") != ["ghcr.io/example/api:2.1.0"]:
    sys.exit("the fragment's api: %s (services %s)" % (api, sorted(svc)))
if "service:compose:default[stack]/api" not in svc:
    sys.exit("stack.yml is no project of its own: %s" % sorted(svc))
if not any("laid over stack.yml" in d["message"] and d["path"] == "stack-debug.yml" for d in j["diagnostics"]):
    sys.exit("no note: %s" % [d["message"] for d in j["diagnostics"]])
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/alone" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "the fragment with nothing to lie over (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
if not any(d["severity"] == "warning" and "no image, build or extends" in d["message"] for d in j["diagnostics"]):
    sys.exit("no warning: %s" % [d["message"] for d in j["diagnostics"]])
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/addon" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "the add-on below its project (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
w = [d for d in j["diagnostics"] if d["path"] == "extensions/shipper/shipper-compose.yml" and d["severity"] == "warning"]
if len(w) != 1 or "depends on search" not in w[0]["message"] or \
   "-f docker-compose.yml -f extensions/shipper/shipper-compose.yml" not in w[0]["message"]:
    sys.exit("the add-on's warning: %s" % [d["message"] for d in j["diagnostics"]])
PY
exit 0
