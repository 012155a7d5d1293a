# An identity provider's administration published to the internet was no console finding: Keycloak
# with its administrator's password set to "admin" (the quick-start's value, here through a
# ${VAR:-admin} default), and authentik, whose initial-setup flow lets the first visitor set the
# administrator's password unless the environment bootstraps it. Both are TM-MESH-012 now; a
# password the deployment supplies, or a bootstrapped authentik, is no finding.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012", key="node")
assert sorted(rows) == ["service:compose:default/idp", "service:compose:default/sso"], rows
assert rows["service:compose:default/idp"][0] == "high" and "everyone knows" in rows["service:compose:default/idp"][1], rows
assert rows["service:compose:default/sso"][0] == "high", rows
PY
