# A Cloudflare Tunnel, usually a home lab's only way in from the internet, was not modelled: a
# ConfigMap holding cloudflared's config.yaml, mounted by the Deployment that runs `cloudflared
# tunnel --config ... run`, routed nothing, so `query can internet monitoring/prometheus` answered a
# confident DENY ("nothing exposes it"), no console finding named Prometheus and who-can-call left
# the internet out (trial AF, home-ops shapes). Each ingress rule is now a route of a gateway the
# internet reaches through Cloudflare's edge; a rule with Cloudflare Access required is checked.
. "$(dirname "$0")/../lib.sh"
gw='gateway:cloudflared:tunnel.yaml#config.yaml'
run_bounded 60 "$TRUSTMAP" query can internet monitoring/prometheus --method GET --path / "$CASE/in" --no-cache
grep -q "^ALLOW (200) .*via $gw" "$WORK/out" || { cat "$WORK/out" >&2; fail "prometheus is not reached through the tunnel"; }
run_bounded 60 "$TRUSTMAP" query can internet monitoring/grafana --method GET --path / "$CASE/in" --no-cache
grep -q "^DENY (401)" "$WORK/out" && grep -q "Cloudflare Access JWT (team homelab) at tunnel.yaml:21" "$WORK/out" \
  || { cat "$WORK/out" >&2; fail "grafana's route does not check Cloudflare Access"; }
run_bounded 60 "$TRUSTMAP" query can internet monitoring/alertmanager --method GET --path / "$CASE/in" --no-cache
grep -q "^DENY (unreachable)" "$WORK/out" || { cat "$WORK/out" >&2; fail "alertmanager, which no rule routes to, became reachable"; }
run_bounded 60 "$TRUSTMAP" query who-can-call monitoring/prometheus "$CASE/in" --no-cache
grep -q "entrypoint:internet  via $gw" "$WORK/out" || { cat "$WORK/out" >&2; fail "who-can-call leaves the tunnel out"; }
run_bounded 60 "$TRUSTMAP" paths --from internet --to service:monitoring/prometheus "$CASE/in" --no-cache
grep -q "1 path to the target" "$WORK/out" || { cat "$WORK/out" >&2; fail "no path from the internet to prometheus"; }
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" "$gw" <<'PY' || fail "the tunnel's model (see above)"
import json, sys
j = json.load(open(sys.argv[1])); gw = sys.argv[2]
bad = []
nodes = {n["id"]: n for n in j["model"]["nodes"]}
g = nodes.get(gw, {})
if g.get("hosted_by") != ["service:edge/cloudflared"] or g.get("tls") is not True or g.get("tunnel") != ["home-tunnel"]:
    bad.append("gateway: %s" % {k: g.get(k) for k in ("hosted_by", "tls", "tunnel")})
edges = {(e["from"], e["to"]): e for e in j["model"]["edges"] if e["kind"] == "routes"}
if edges.get(("entrypoint:internet", gw), {}).get("via") != "Cloudflare Tunnel":
    bad.append("no internet edge to the tunnel")
p = edges.get((gw, "service:monitoring/prometheus"), {})
if p.get("hosts") != ["metrics.home.example.net"] or p.get("authn") != "none" or p["evidence"][0]["line"] != 15:
    bad.append("prometheus' route: %s" % p)
if edges.get((gw, "service:monitoring/grafana"), {}).get("authn") != "jwt":
    bad.append("grafana's route is not checked: %s" % edges.get((gw, "service:monitoring/grafana")))
if edges.get((gw, "service:monitoring/alertmanager")):
    bad.append("a route to alertmanager")
cons = [f["title"] for f in j["findings"] if f["rule"] == "TM-MESH-012"]
if not any("prometheus" in t and gw in t for t in cons):
    bad.append("TM-MESH-012 does not name prometheus through the tunnel: %s" % cons)
if any("grafana" in t for t in cons):
    bad.append("TM-MESH-012 fires for grafana behind Cloudflare Access: %s" % cons)
if any(f["rule"] == "TM-MESH-013" for f in j["findings"]):
    bad.append("the tunnel is called plaintext (Cloudflare's edge serves TLS)")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
