# opentelemetry-demo: `trustmap scan docker-compose.yml` left out the .env beside it, which docker
# compose reads from the project's directory: the collector's host root mount (${HOST_ROOT}) became an
# unset variable and its critical finding disappeared; and `scan .env` read the .env as YAML ("missing
# document start"). A compose file named alone brings its .env; a .env named alone is read as one.
. "$(dirname "$0")/../lib.sh"
TRUSTMAP="$(cd "$(dirname "$TRUSTMAP")" && pwd)/$(basename "$TRUSTMAP")"
cd "$CASE/in"
run_bounded 60 "$TRUSTMAP" scan docker-compose.yml --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert any(f["rule"] == "TM-CTR-001" and f["severity"] == "critical" for f in d["findings"]), [(f["rule"], f["title"]) for f in d["findings"]]
assert [i["path"] for i in d["inputs"]] == [".env", "docker-compose.yml"] or set(i["path"] for i in d["inputs"]) == {".env", "docker-compose.yml"}, d["inputs"]
PY
run_bounded 60 "$TRUSTMAP" scan .env --format json --no-store --no-cache
expect_exit 0
if grep -q "missing document start" "$WORK/err"; then fail "a .env named alone is read as YAML: $(cat "$WORK/err")"; fi
