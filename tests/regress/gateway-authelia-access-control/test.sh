# Authelia's access_control (trial AJ-7) was read for its credentials only: a route whose Traefik
# forwardAuth (or Caddy forward_auth) asks Authelia answered UNKNOWN, "that service's decision, not
# in the files", though its configuration.yml was scanned. Now the check's address names the service
# it asks (the edge's authn_service), and when that service mounts an Authelia configuration its
# rules decide in order, by domain (exact, *.wildcard), resources, methods, subject and networks,
# else default_policy: bypass passes, one_factor/two_factor is the login (401), deny 403; a rule
# naming public networks is UNKNOWN, naming the rule.
. "$(dirname "$0")/../lib.sh"
q() { # DIR DEST EXPECTED [ARGS...]
  local dir="$1" dest="$2" want="$3"; shift 3
  run_bounded 60 "$TRUSTMAP" query can internet "$dest" "$@" "$CASE/in/$dir" --no-cache
  grep -q "$want" "$WORK/out" || { cat "$WORK/out" "$WORK/err" >&2; fail "$dest $*: expected $want"; }
}
tr='via gateway:traefik:docker-compose.yml#traefik'
q traefik sso/status "^ALLOW (200) .*$tr" --path /
q traefik sso/status "access_control (authelia/configuration.yml rule 1) is bypass for host status.example.org" --path /
q traefik sso/wiki "^ALLOW (200) .*$tr" --path /api/public/page
q traefik sso/wiki "^DENY (401) .*$tr" --path /
q traefik sso/grafana "rule 3) is a login for host grafana.apps.example.org" --path /
q traefik sso/admin "^DENY (401) .*$tr" --path /
q traefik sso/admin "^ALLOW (200) .*$tr" --path / --token valid
q traefik sso/legacy "^DENY (403) .*$tr" --path /
q traefik sso/legacy "default_policy) is deny" --path /
q caddy files/files "^ALLOW (200) .*via gateway:caddy:caddy/Caddyfile" --path /shared/report.pdf
q caddy files/files "^UNKNOWN (unknown) .*via gateway:caddy:caddy/Caddyfile" --method POST --path /shared/report.pdf
q caddy files/files "rule 2, it names networks" --path /private/x
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/traefik" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "the model (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
nodes = {n["id"]: n for n in j["model"]["nodes"]}
a = nodes.get("service:compose:sso/authelia", {})
if a.get("authelia_default_policy") != ["deny"] or len(a.get("authelia_rules") or []) != 5:
    bad.append("authelia's rules: %s %s" % (a.get("authelia_default_policy"), a.get("authelia_rules")))
e = [e for e in j["model"]["edges"] if e["to"] == "service:compose:sso/wiki" and e["from"].startswith("gateway:")]
if len(e) != 1 or e[0].get("authn_service") != "service:compose:sso/authelia":
    bad.append("wiki's route does not name the service its check asks: %s" % e)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
