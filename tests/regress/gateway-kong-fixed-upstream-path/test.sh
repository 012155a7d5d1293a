# TM-MESH-002 (high) was the top abuse path for a Kong route that lands on one path of the backend
# (a service `url: http://auth:9999/.well-known/oauth-authorization-server`, a route
# `/.well-known/oauth-authorization-server` with no plugin) beside a key-checked `/auth/v1/`: such a
# route reaches that upstream path (and below it), not the whole backend. The finding now says
# what the open route reaches and is medium, unless a spec of the backend puts an operation that
# changes state (or returns sensitive fields) under that path; an open route to the backend's root
# stays high. The same reading for nginx: `location = /healthz { proxy_pass http://metrics:9090/-/healthy; }`.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/kong" --format json --no-store --no-cache
expect_exit 0 1
cp "$WORK/out" "$WORK/kong.json"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/nginx" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/kong.json" "$WORK/out" <<'PY' || fail "see above"
import json, sys
got = {}
for f in sys.argv[1:]:
    for x in json.load(open(f))["findings"]:
        if x["rule"] == "TM-MESH-002":
            got[x["title"].split(": ")[0]] = (x["severity"], x["title"])
def has(node, sev, text):
    s, t = got.get(node, (None, ""))
    assert s == sev and text in t, (node, sev, text, got.get(node))
has("service:compose:platform/auth", "medium",
    "but /.well-known/oauth-authorization-server reaches the same backend without any, though only its paths under "
    "/.well-known/oauth-authorization-server (the route's fixed upstream path)")
has("service:compose:platform/billing", "high", "at its paths under /hooks, where a spec puts POST /hooks/{hookId}/replay")
has("service:compose:platform/files", "high", "but /public/ reaches the same backend without any")
assert "fixed upstream path" not in got["service:compose:platform/files"][1], got
has("service:compose:monitoring/metrics", "medium", "though only its path /-/healthy (the route's fixed upstream path)")
edges = [e for e in json.load(open(sys.argv[1]))["model"]["edges"] if e["kind"] == "routes" and e["to"] == "service:compose:platform/auth"]
assert edges and edges[0].get("upstream_paths") == ["/.well-known/oauth-authorization-server\t/.well-known/oauth-authorization-server"], edges
PY
exit 0
