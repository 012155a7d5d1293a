# Node-RED's editor (settings.js without adminAuth), EMQX's dashboard (admin/public) and
# Zigbee2MQTT's frontend, published, got no finding besides a low TM-MESH-004 while Grafana's did
# (trial AI-3/AI-4 repro-4). Now they are consoles: Node-RED open unless the settings.js it reads
# (bind-mounted, or a ConfigMap) sets adminAuth, unknown (said, a level lower) when the file is not
# readable or a mounted directory may hold one the inputs do not; EMQX's dashboard on its default
# login unless its password is set; Zigbee2MQTT open unless frontend.auth_token is in its
# configuration.yaml or the environment.
. "$(dirname "$0")/../lib.sh"
scan_each compose k8s
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012")
sev = {k: v[0] for k, v in rows.items()}
assert sev == {"nodered": "high", "nodered-broken": "medium", "nodered-unseen": "medium", "emqx": "high",
               "zigbee2mqtt": "high"}, rows
assert "Node-RED" in rows["nodered"][1] and "admin/public" in rows["emqx"][1], rows
assert "adminAuth" in rows["nodered-unseen"][1], rows["nodered-unseen"]
d = regress.report(sys.argv[1])
inputs = [i["path"] for i in d["inputs"]]
assert "flows-open/settings.js" in inputs and "z2m-locked/configuration.yaml" in inputs, inputs
PY
exit 0
