# aws-containers/retail-store-sample-app and supabase: a compose file holding only `include:` was
# skipped as "no recognised document"; `ports: !override []` in compose.override.yaml beside a
# docker-compose.yml was read as two projects, and the tag as nothing (the database stayed
# published; `privileged: !override true` must stay a boolean, `!reset` unsets whatever it holds); a Docker socket mounted from a host path the environment sets
# (${DOCKER_SOCKET_LOCATION}:/var/run/docker.sock) was no host access; `sk-proj-xxxxxxxx` was a
# written credential; and a duplicate key, whose last value is used, made the file count as one that
# "did not render or parse".
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/inc" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not d["skipped"], d["skipped"]
assert "app/docker-compose.yml" in [i["path"] for i in d["inputs"]], d["inputs"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/tags" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["systems"]) == 1, [s["name"] for s in d["systems"]]
svcs = [n for n in d["model"]["nodes"] if n["kind"] == "service"]
assert len(svcs) == 2, [n["id"] for n in svcs]
db = [n for n in svcs if n["name"] == "db"][0]
assert not db.get("published_ports"), db
web = [n for n in svcs if n["name"] == "web"][0]
assert not web.get("published_ports"), ("!reset unsets whatever it holds", web.get("published_ports"))
assert web.get("privileged"), ("!override true is the boolean true", web)
assert not [f for f in d["findings"] if f["rule"] == "TM-MESH-007"], [f["title"] for f in d["findings"]]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/sock" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert any(f["rule"] == "TM-CTR-001" and f["severity"] == "critical" for f in d["findings"]), [(f["rule"], f["title"]) for f in d["findings"]]
assert any("taken to be the host's Docker socket" in x["message"] for x in d["diagnostics"]), d["diagnostics"]
assert not [f for f in d["findings"] if f["rule"].startswith("TM-SEC")], [f["title"] for f in d["findings"] if f["rule"].startswith("TM-SEC")]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/dup" --format summary --no-store --no-cache
expect_exit 0 1
grep -q "duplicate key 'labels'" "$WORK/err" || fail "the duplicate key is not reported: $(cat "$WORK/err")"
if grep -qi "incomplete" "$WORK/out"; then fail "a duplicate key made the scan incomplete: $(cat "$WORK/out")"; fi
