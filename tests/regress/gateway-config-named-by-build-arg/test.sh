# An Envoy configuration that a compose service's image carries through a build argument
# (ENVOY_CONFIG: ./front-envoy.yaml, as Envoy's own sandboxes build their proxies) had no host: the
# gateway stood alone and was assumed internet-facing (40 of 44 Envoy gateways of the sandboxes).
# Now the service whose build argument names the file runs it: the edge proxy is reached through
# its published port, the sidecar's configuration (published nowhere) is not internet-facing.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "configurations named by build arguments (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
gws = {n["id"]: n for n in j["model"]["nodes"] if n["kind"] == "gateway"}
bad = []
for cfg, svc in (("edge-envoy.yaml", "edge"), ("sidecar-envoy.yaml", "sidecar")):
    g = gws.get("gateway:envoy:" + cfg)
    if not g or not any(h.endswith("/" + svc) for h in g.get("hosted_by", [])):
        bad.append("%s is not run by %s: %s" % (cfg, svc, g and g.get("hosted_by")))
    elif "internet-facing" in (g.get("assumed") or ""):
        bad.append("%s is still assumed internet-facing" % cfg)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
