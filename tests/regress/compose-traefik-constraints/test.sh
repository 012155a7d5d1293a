# Traefik's `--providers.docker.constraints=Label(...)` was ignored: a service whose constraint label
# selects another (internal) Traefik was reported as routed by the public one (dockerswarm.rocks
# "traefik.constraint-label"). The expression (Label, LabelRegex, !, &&, ||, parentheses) is
# evaluated on each service's labels; one that it does not read routes as before, with a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
x = d["exposure"]
assert x.get("service:compose:default/shop") == "internet" and x.get("service:compose:default/docs") == "internet", x
assert x.get("service:compose:default/admin") != "internet", x
g = [n for n in d["model"]["nodes"] if n["kind"] == "gateway"][0]
assert g["constraints"][0].startswith("label(`traefik.constraint-label`"), g
PY
mkdir -p "$WORK/u"
sed 's/Label(`traefik.constraint-label`, `edge-public`) ||/Tag(`edge`) ||/' "$CASE/in/docker-stack.yml" > "$WORK/u/docker-stack.yml"
run_bounded 60 "$TRUSTMAP" scan "$WORK/u" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "unread: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exposure"].get("service:compose:default/admin") == "internet", d["exposure"]
assert [y for y in d["diagnostics"] if "constraints" in y["message"] and "not read" in y["message"]], d["diagnostics"]
PY
exit 0
