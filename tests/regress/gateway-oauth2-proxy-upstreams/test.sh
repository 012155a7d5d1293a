# oauth2-proxy in front of applications (trial AJ-1): its upstreams were no routes, so a service
# reached only through it answered DENY (unreachable) from the internet, and a service published
# beside it was a low "exposed directly". Now oauth2-proxy is a gateway whose routes to its
# upstreams check its OAuth2/OIDC login: from its command line (--upstream, twice, one with a path;
# --skip-auth-route regexes exempt paths), from OAUTH2_PROXY_UPSTREAMS (comma-separated), from its
# .cfg bind-mounted by the compose service (a TOML list over lines; file:// and static:// are no
# routes), and from a ConfigMap's oauth2_proxy.cfg a Deployment mounts.
. "$(dirname "$0")/../lib.sh"
q() { # DIR DEST PATH EXPECTED-FIRST-LINE-REGEX
  run_bounded 60 "$TRUSTMAP" query can internet "$2" --method GET --path "$3" "$CASE/in/$1" --no-cache
  grep -q "$4" "$WORK/out" || { cat "$WORK/out" "$WORK/err" >&2; fail "$2 $3: expected $4"; }
}
flags='gateway:oauth2-proxy:docker-compose.yml#proxy'
q flags flags/wiki / "^DENY (401) .*via $flags"
q flags flags/wiki / "oauth2-proxy login (provider oidc) at docker-compose.yml:8"
q flags flags/wiki /public/logo.png "^ALLOW (200) .*via $flags"
q flags flags/files /files/report.pdf "^DENY (401) .*via $flags"
q env env/prometheus /prometheus/api/v1/query "^DENY (401) .*via gateway:oauth2-proxy:docker-compose.yml#auth"
q env env/grafana /api/health "^ALLOW (200) .*via gateway:oauth2-proxy:docker-compose.yml#auth"
q k8s tools/kibana /app "^DENY (401) .*via gateway:oauth2-proxy:oauth2-proxy.yaml#oauth2_proxy.cfg"
run_bounded 60 "$TRUSTMAP" query can internet flags/wiki --token valid --path / "$CASE/in/flags" --no-cache
grep -q "^ALLOW (200) .*via $flags" "$WORK/out" || { cat "$WORK/out" >&2; fail "a valid login does not pass"; }
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/cfg" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "the configuration file's gateway (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
gw = "gateway:oauth2-proxy:oauth2-proxy.cfg"
nodes = {n["id"]: n for n in j["model"]["nodes"]}
g = nodes.get(gw, {})
want = {
    "hosted_by": ["service:compose:cfg/oauth2-proxy"],
    "hosted_how": "a compose service bind-mounts it",
    "login": ["oauth2-proxy login (provider github)"],
    "static_routes": ["/static/: files of /srv/static/, served by oauth2-proxy itself"],
    "answered_routes": ["static://200 (answered by oauth2-proxy)"],
    "login_admits_any_account": ["email_domains *: any account of the github provider logs in"],
}
for k, v in want.items():
    if g.get(k) != v:
        bad.append("gateway %s: %s, expected %s" % (k, g.get(k), v))
edges = [e for e in j["model"]["edges"] if e["from"] == gw]
if [(e["to"], e.get("paths"), e.get("authn"), e["evidence"][0]["line"]) for e in edges] != [
        ("service:compose:cfg/dashboard", ["/"], "oauth2", 7)]:
    bad.append("routes: %s" % edges)
f = [f for f in j["findings"] if f["rule"] == "TM-MESH-004"]
if len(f) != 1 or f[0]["severity"] != "high" or gw not in f[0]["title"]:
    bad.append("dashboard's published port is not high around the login: %s" % [(x["severity"], x["title"]) for x in f])
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
