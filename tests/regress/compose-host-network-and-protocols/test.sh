# A compose service on the host's network (network_mode: host) had no route from the internet,
# though it listens on the host itself; a service in another's network (network_mode: service:X)
# was not reached through X's published ports; a /udp mapping was read as TCP ("53->53" twice);
# and a service with both image: and build: lost its build context, so a gateway configuration in
# that directory found no host and was assumed internet-facing on its own (awesome-compose plex,
# pihole, wireguard; envoy websocket; wasmedge; measured by tests/e2e/compose_truth.py).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "compose host network, shared network, protocols or build context (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in j["model"]["nodes"]}
def routes(svc):
    return [e for e in j["model"]["edges"]
            if e["from"] == "entrypoint:internet" and e["to"] == "service:compose:default/" + svc and e["kind"] == "routes"]
bad = []
plex = routes("plex")
if not plex or plex[0].get("via") != "compose-host-network":
    bad.append("plex (network_mode: host) is not routed from the internet as the host's: %s" % plex)
db = routes("db")
if not db or db[0].get("ports") != ["5432"]:
    bad.append("db (host network, expose 5432) is not routed on 5432: %s" % db)
dns = nodes["service:compose:default/dns"]
if sorted(dns.get("published_ports", [])) != ["53->53", "53->53/udp", "67->67/udp"]:
    bad.append("dns protocols: %s" % dns.get("published_ports"))
if sorted(routes("dns")[0].get("ports", [])) != ["53", "53/udp", "67/udp"]:
    bad.append("dns route ports: %s" % routes("dns")[0].get("ports"))
if "9999" not in dns.get("ports", []):
    bad.append("expose 9999/udp is not port 9999: %s" % dns.get("ports"))
t = routes("torrent")
if not t or nodes["service:compose:default/torrent"].get("network_of") != "vpn":
    bad.append("torrent (network_mode: service:vpn) is not reached through vpn's 8080: %s" % t)
if nodes["service:compose:default/proxy"].get("build") != "./edge":
    bad.append("proxy (image and build) lost its build context: %s" % nodes["service:compose:default/proxy"].get("build"))
gw = [e for e in j["model"]["edges"] if e["to"].startswith("gateway:nginx:") and e["kind"] == "routes"]
if [e["from"] for e in gw] != ["service:compose:default/proxy"]:
    bad.append("the nginx configuration in proxy's build context is not run by proxy: %s" % [e["from"] for e in gw])
if not any("shares the network of nothere" in d["message"] for d in j["diagnostics"]):
    bad.append("network_mode: container:nothere is not said")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
