#!/usr/bin/env bash
# home-ops trial (AF-6): AdGuard Home's web interface on a LoadBalancer, its AdGuardHome.yaml (a
# ConfigMap mounted where the image reads it) with `users: []`: no login, and whoever reaches it
# rewrites the DNS answers of the whole network. Only TM-MESH-004 came. AdGuard Home and Pi-hole are
# consoles now: AdGuard Home when its configuration file (read from a ConfigMap) has no users, or
# when it has none at all (the first-run wizard makes its first visitor the administrator), quiet
# when the file lists users or sits on a volume the scan cannot read; Pi-hole when its web password
# is set empty (WEBPASSWORD before v6, FTLCONF_webserver_api_password since), quiet when unset (a
# random one).
. "$(dirname "$0")/../lib.sh"
scan_each k8s compose
python3 - "$WORK/k8s.json" "$WORK/compose.json" <<'PY' || fail "see above"
import sys
import regress
t = []
for p in sys.argv[1:]:
    t += sorted((m["title"].split(": ")[0], m["title"].split("(")[1].split(")")[0], m["finding"]["severity"])
                for m in regress.members(regress.findings(p), "TM-MESH-012"))
want = [("service:dns/adguard", "LoadBalancer 80->http", "high"),
        ("service:dns/adguard-fresh", "NodePort 31300->3000", "high"),
        ("service:dns/pihole", "LoadBalancer 8080->http", "high"),
        ("service:compose:default/pihole", "8081->80", "high")]
assert t == want, t
PY
exit 0
