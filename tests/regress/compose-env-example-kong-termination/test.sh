# supabase's self-hosted compose: the repository keeps .env out of git and documents it in
# .env.example, so every ${VARIABLE} (the published Kong port among them) stayed unresolved; a Kong
# route whose request-termination plugin answers every caller (a 403 for /mcp) was an open route to its
# service; and DynamoDB Local, which accepts any key, was no data store. The example stands in for
# the .env, said in a note; the terminated route routes nowhere, said in a note; dynamodb-local is a
# store that admits any client.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
msgs = [x["message"] for x in d["diagnostics"]]
assert any("no .env beside docker/docker-compose.yml" in m and "docker/.env.example" in m for m in msgs), msgs
assert any("kong route mcp-blocker is answered by the gateway itself" in m for m in msgs), msgs
nodes = {n["id"]: n for n in d["model"]["nodes"]}
kong = nodes["service:compose:stack/kong"]
assert kong.get("published_ports") == ["8000->8000"], kong.get("published_ports")
routed = {e["to"] for e in d["model"]["edges"] if e["kind"] == "routes"}
assert "service:compose:stack/studio" in routed, routed
assert "service:compose:stack/meta" not in routed, routed
store = nodes.get("datastore:compose:stack/cache")
assert store and store.get("store") == "dynamodb-local" and store.get("auth") == "none", store
PY
