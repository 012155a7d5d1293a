# A console's setting taken from a Secret or ConfigMap in the scan was judged as unknown: Keycloak's
# administrator password "admin" through env.valueFrom.secretKeyRef (the Secret's data, base64) or
# a whole Secret through envFrom (stringData) was no TM-MESH-012, nor Grafana's anonymous access
# switched on through configMapKeyRef. The values the scan holds are the values set; a strong
# password from a Secret stays quiet, and no credential's value reaches the report.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
import regress
raw = open(sys.argv[1]).read()
rows = regress.rows(json.loads(raw)["findings"], "TM-MESH-012", key="node")
assert sorted(rows) == ["service:auth/dashboards", "service:auth/sso", "service:auth/sso-envfrom"], rows
assert rows["service:auth/sso"][0] == "high" and "everyone knows" in rows["service:auth/sso"][1], rows
assert rows["service:auth/sso-envfrom"][0] == "high" and "everyone knows" in rows["service:auth/sso-envfrom"][1], rows
assert "anonymous" in rows["service:auth/dashboards"][1], rows
assert "V3ry-long-Random-Passphrase" not in raw
PY
