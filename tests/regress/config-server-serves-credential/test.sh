# A published config server serving a file that holds a password: anyone reaching its port reads
# GET /customers-service/default and the password in clear. The credential was only "written in the
# configuration file" (TM-SEC-006), used by no one, and no path reached it. Now the server reads it
# to serve it (a mounts edge, served_by), the application it is served to uses it, the finding says
# it is served, and the internet's path through the config server reaches it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
sid = "secret:config:config-server/src/main/resources/shared/customers-service.yml"
sec = [n for n in d["model"]["nodes"] if n["id"] == sid]
assert sec, [n["id"] for n in d["model"]["nodes"]]
assert sec[0].get("served_by") == ["service:compose:default/config-server"], sec
assert sec[0].get("used_by") == ["service:compose:default/customers-service"], sec
f = [x for x in d["findings"] if x["rule"] == "TM-SEC-006"]
assert f and "served over HTTP by config server service:compose:default/config-server" in f[0]["title"], f
p = [x for x in d["findings"] if x["rule"] == "TM-PATH-001" and sid in x["title"]]
assert p and "config-server" in p[0]["title"], [x["title"] for x in d["findings"]]
PY
exit 0
