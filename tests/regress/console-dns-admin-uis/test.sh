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
for part in k8s compose; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$part" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$part.json"
done
python3 - "$WORK/k8s.json" "$WORK/compose.json" <<'PY' || fail "see above"
import json, sys
t = []
for p in sys.argv[1:]:
    d = json.load(open(p))
    t += sorted((a["title"].split(": ")[0], a["title"].split("(")[1].split(")")[0], f["severity"])
                for f in d["findings"] if f["rule"] == "TM-MESH-012" for a in (f.get("affected") or [f]))
want = [("service:dns/adguard", "LoadBalancer 80->http", "high"),
        ("service:dns/adguard-fresh", "NodePort 31300->3000", "high"),
        ("service:dns/pihole", "LoadBalancer 8080->http", "high"),
        ("service:compose:default/pihole", "8081->80", "high")]
assert t == want, t
PY
exit 0
