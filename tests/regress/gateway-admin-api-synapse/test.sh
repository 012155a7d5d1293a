# Known administration APIs routed from the internet were flagged for Spring's /actuator only:
# Synapse's /_synapse/admin behind `location ~ ^(/_matrix|/_synapse)` (its documentation forwards
# /_matrix and /_synapse/client only, and advises against exposing the admin API) went unsaid, even
# with registration_shared_secret committed in homeserver.yaml (/_synapse/admin/v1/register makes an
# administrator with it, no token needed). TM-API-010 now says it: medium, high with that secret
# written in a configuration file the workload reads; Keycloak's /admin/ likewise (its reverse-proxy
# guide: /admin/ not exposed). Quiet: the documented prefixes only, a login at the gateway on the
# admin path, Keycloak's /realms/ and /resources/ only. An nginx allow-list in the admin location is
# kept on the routes edge, not per path: low, said.
. "$(dirname "$0")/../lib.sh"
check() { # DIR SEVERITY|none PRODUCT
  run_bounded 60 "$TRUSTMAP" scan "$CASE/$1" --no-store --no-cache --format json
  expect_exit 0 1
  python3 - "$WORK/out" "$2" "$3" <<'PY' || fail "$1: see above"
import json, sys
d = json.load(open(sys.argv[1]))
sev, product = sys.argv[2], sys.argv[3]
fs = [f for f in d["findings"] if f["rule"] == "TM-API-010" and "administration API" in f["title"]]
if sev == "none":
    assert not fs, [f["title"] for f in fs]
    sys.exit(0)
assert len(fs) == 1, [f["title"] for f in d["findings"]]
f = fs[0]
assert f["severity"] == sev, (f["severity"], f["title"])
assert product + "'s administration API" in f["title"], f["title"]
assert f["path"][0] == "entrypoint:internet" and f["path"][1].startswith("gateway:"), f["path"]
assert all(e["line"] > 0 for e in f["evidence"]), f["evidence"]
if sev == "low":
    assert "allow 192.168.10.0/24" in f["title"] and "may keep the internet out" in f["title"], f["title"]
if sev == "high":
    assert "registration_shared_secret" in f["title"], f["title"]
    assert {"path": "synapse/homeserver.yaml", "line": 14, "column": 30} in f["evidence"], f["evidence"]
PY
}
check synapse-fire high Synapse
check synapse-quiet none Synapse
check synapse-login none Synapse
check synapse-allowlist low Synapse
check keycloak-fire medium Keycloak
check keycloak-quiet none Keycloak
exit 0
