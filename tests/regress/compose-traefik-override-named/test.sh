# A Traefik service defined only in docker-compose.override.yml (the FastAPI template's proxy) made
# a gateway named after docker-compose.yml, the project's first file, with its evidence in the
# override. The gateway is named after the file that defines the Traefik service.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
g = [n for n in d["model"]["nodes"] if n["kind"] == "gateway"]
assert [n["id"] for n in g] == ["gateway:traefik:docker-compose.override.yml#proxy"], [n["id"] for n in g]
assert d["exposure"].get("service:compose:default/api") == "internet", d["exposure"]
PY
exit 0
