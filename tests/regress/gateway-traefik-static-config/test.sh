# Traefik's static configuration (traefik.yml) was not read: the compose Traefik service that mounts
# it and configures the Docker provider there (no flags in its command) was taken to route only
# services saying traefik.enable=true, and `api.insecure: true`, the dashboard and API on :8080
# without authentication, published by the service, went unseen. Now the static file is a gateway
# of no routes (its entry points, providers and admin listener as facts), its
# providers.docker.exposedByDefault (true unless said) decides what the labels expose, and
# TM-MESH-008 judges the insecure API as it does Envoy's admin.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "traefik static configuration (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
nodes = {n["id"]: n for n in j["model"]["nodes"]}
st = nodes.get("gateway:traefik:traefik.yml", {})
if st.get("hosted_by") != ["service:compose:default/proxy"] or st.get("admin_listen") != [":8080"] \
        or st.get("entrypoints") != ["web :80"] or st.get("providers") != ["docker"]:
    bad.append("the static configuration's gateway: %s" % {k: v for k, v in st.items() if k != "facts"})
routed = sorted(e["to"] for e in j["model"]["edges"] if e["from"] == "gateway:traefik:compose.yaml#proxy")
if routed != ["service:compose:default/app", "service:compose:default/whoami"]:
    bad.append("exposedByDefault (true in traefik.yml) routes app and whoami, not off: %s" % routed)
mesh = [f for f in j["findings"] if f["rule"] == "TM-MESH-008"]
if len(mesh) != 1 or "Traefik admin interface published" not in mesh[0]["title"] \
        or not any(ev["path"] == "traefik.yml" and ev["line"] == 5 for ev in mesh[0]["evidence"]):
    bad.append("TM-MESH-008 on api.insecure (traefik.yml:5) published on 8080: %s" % [(f["title"], f["evidence"]) for f in mesh])
if any("reads its configuration from a file that is not read" in d["message"] for d in j["diagnostics"]):
    bad.append("the static configuration is said not to be read")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
