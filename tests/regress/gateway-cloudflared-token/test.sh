# A tunnel run with a token (`tunnel run` with TUNNEL_TOKEN, `run --token $(TUNNEL_TOKEN)`) and no
# configuration of routes is remotely managed: its routes are set in Cloudflare's dashboard. It was
# not modelled, so whatever it publishes answered a confident DENY from the internet. Now it is a
# gateway the internet reaches whose routes are unknown (`routes_unknown`, a note at the token), and
# `query can internet` answers UNKNOWN for what its cloudflared reaches (a compose service on a
# network it joins, a pod of its cluster), DENY still for what it cannot reach. A token beside a
# configuration of routes keeps the file's routes, with a note that a dashboard tunnel ignores them.
. "$(dirname "$0")/../lib.sh"
ask() { # ask SYSTEM DEST EXPECTED-FIRST-WORDS
  run_bounded 60 "$TRUSTMAP" query can internet "$2" "$CASE/in/$1" --no-cache
  grep -q "^$3" "$WORK/out" || { cat "$WORK/out" >&2; fail "$2: expected $3"; }
}
ask media media/grafana "UNKNOWN (unknown) .*"
grep -q "decided by: gateway:cloudflared:docker-compose.yml#cloudflared" "$WORK/out" || fail "the unknown answer does not name the tunnel"
grep -q "remotely managed" "$WORK/out" || fail "the unknown answer does not say why"
ask media media/jellyfin "UNKNOWN (unknown)"
ask media media/postgres "DENY (unreachable)"
ask cluster argocd/argocd-server "UNKNOWN (unknown) .*"
ask blog blog/ghost "ALLOW (200) .*via gateway:cloudflared:tunnel/config.yml"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/cluster" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "the remotely managed tunnel (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
gw = "gateway:cloudflared:cloudflared.yaml#cloudflared"
g = {n["id"]: n for n in j["model"]["nodes"]}.get(gw, {})
bad = []
if g.get("hosted_by") != ["service:cloudflare/cloudflared"] or not g.get("routes_unknown"):
    bad.append("gateway: %s" % g)
elif "remotely managed" not in g["routes_unknown"][0]:
    bad.append("routes_unknown does not say why: %s" % g["routes_unknown"])
if j["exposure"].get(gw) != "internet":
    bad.append("the tunnel is not internet-facing: %s" % j["exposure"].get(gw))
notes = [d for d in j["diagnostics"] if "runs a Cloudflare Tunnel run with a token" in d["message"]]
if len(notes) != 1 or notes[0]["path"] != "cloudflared.yaml" or notes[0]["line"] != 16:
    bad.append("no note at the token: %s" % notes)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/blog" --format json --no-store --no-cache
grep -q "takes its routes from there and ignores the file's" "$WORK/out" || fail "no note on the token beside a configuration"
exit 0
