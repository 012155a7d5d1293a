# A Kong route whose request-termination plugin answers every caller (Supabase's /mcp, /api/mcp and
# /realtime/v1/api/tenants) carves a path out of a broader route. Such routes were dropped with a
# note, so `query --path /mcp` fell back to the catch-all `/` and answered ALLOW (200), even with no
# credential when the catch-all checks none. Now each is a terminated route on the gateway
# (`terminated_routes`), weighed among all of the gateway's routes in Kong's order (a route naming
# the asked host first, a regular expression before a prefix, the longest prefix first, compared
# byte by byte): a path it takes is refused with the plugin's status (503 unless set), decided by
# the plugin's line; a path Kong sends to another backend does not reach the asked one; and no
# finding counts a terminated route as open.
. "$(dirname "$0")/../lib.sh"
q() { # q WANT TEXT ARGS...: the query's first line starts with WANT, and its output holds TEXT
  local want="$1" text="$2"; shift 2
  run_bounded 60 "$TRUSTMAP" query can internet "$@" "$CASE/in" --no-store --no-cache
  expect_exit 0 1
  head -1 "$WORK/out" | grep -q "^$want" || { cat "$WORK/out" >&2; fail "$*: expected $want"; }
  [ -z "$text" ] || grep -qF -- "$text" "$WORK/out" || { cat "$WORK/out" >&2; fail "$*: expected '$text'"; }
}
plugin='decided by: gateway:kong:volumes/api/kong.yml  (volumes/api/kong.yml:12:9)'
q 'DENY (403)' "$plugin" stack/console --method POST --path /tools
q 'DENY (403)' "$plugin" stack/console --method POST --path /tools --token valid
q 'DENY (403)' "by its route tools-closed (/tools at volumes/api/kong.yml:10)" stack/console --path /tools/list
q 'DENY (403)' "$plugin" stack/console --path /toolsx
q 'DENY (403)' "(volumes/api/kong.yml:23:9)" stack/console --path /api/tools/run
q 'ALLOW (200)' "by its route /  (volumes/api/kong.yml:65:13)" stack/console --path /api/other
q 'DENY (503)' "(volumes/api/kong.yml:35:9)" stack/live --path /live/v1/api/tenants
q 'DENY (503)' "" stack/live --path /live/v1/api/tenants/7
q 'DENY (401)' "(volumes/api/kong.yml:42:13)" stack/live --path /live/v1/api/users
q 'DENY (unreachable)' "sends path /live/v1/api/users to service:compose:stack/live" stack/console --path /live/v1/api/users
q 'DENY (503)' "by its route maintenance" stack/console --host old.example.org --path /x
q 'ALLOW (200)' "" stack/console --path /x
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
gw = [n for n in d["model"]["nodes"] if n["id"] == "gateway:kong:volumes/api/kong.yml"][0]
term = sorted(gw.get("terminated_routes") or [])
want = ["/\t503\tmaintenance\tkong plugin request-termination at volumes/api/kong.yml:55\tvolumes/api/kong.yml:55:9\told.example.org",
        "/api/tools\t403\tconsole-tools-closed\tkong plugin request-termination at volumes/api/kong.yml:23\tvolumes/api/kong.yml:23:9\t",
        "/live/v1/api/tenants\t503\tlive-tenants\tkong plugin request-termination at volumes/api/kong.yml:35\tvolumes/api/kong.yml:35:9\t",
        "/tools\t403\ttools-closed\tkong plugin request-termination at volumes/api/kong.yml:12\tvolumes/api/kong.yml:12:9\t"]
assert term == want, term
# routes edges: the terminated routes route nowhere; no finding reads them as open
for e in d["model"]["edges"]:
    if e["kind"] == "routes" and e["from"] == gw["id"]:
        assert not any(p in ("/tools", "/api/tools", "/live/v1/api/tenants") for p in e.get("paths") or []), e
assert not [f["title"] for f in d["findings"] if f["rule"] == "TM-MESH-002"], [f["title"] for f in d["findings"] if f["rule"] == "TM-MESH-002"]
notes = [x["message"] for x in d["diagnostics"] if "answered by the gateway itself" in x["message"]]
assert len(notes) == 4 and any("requests it takes are answered 503" in m for m in notes), notes
PY
exit 0
