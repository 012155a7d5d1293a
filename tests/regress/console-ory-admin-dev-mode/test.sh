# Ory's admin APIs, which have no authentication of their own, published on the host were only
# TM-MESH-004 low: Kratos' admin port (identities, recovery links), Hydra's (OAuth2 clients, logins
# accepted as anyone; here moved by SERVE_ADMIN_PORT) and Keto's write API are TM-MESH-012 high now,
# and not when only the public port is published (the admin port bound to loopback). Kratos, Hydra
# and Keycloak run in development mode (serve --dev, start-dev) and reached from outside are
# TM-MESH-012 medium, said so; Keycloak with "password" as its administrator's password is a login
# everyone knows, as "admin" is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
rows = {}
for m in regress.members(regress.findings(sys.argv[1]), "TM-MESH-012"):
    rows.setdefault(m["node"].split("/")[-1], []).append((m["severity"], m["title"]))
assert sorted(rows) == ["hydra", "keto", "keycloak-dev", "keycloak-weak", "kratos", "kratos-dev"], sorted(rows)
def one(name, sev, *words):
    got = rows[name]
    assert len(got) == 1 and got[0][0] == sev and all(w in got[0][1] for w in words), (name, got)
one("kratos", "high", "identity", "4434")
one("hydra", "high", "OAuth2", "5445", "development mode")
one("keto", "high", "relation tuple")
one("kratos-dev", "medium", "development mode", "serve --dev")
one("keycloak-dev", "medium", "development mode", "start-dev")
one("keycloak-weak", "high", "everyone knows")
PY
