# A proxy configuration delivered through compose `configs:` (a top-level config with `file:`, the
# service's `configs: [{source, target}]`: how Swarm delivers configs) counted as mounted by no one:
# the gateway was "assumed internet-facing" though the service publishes on 127.0.0.1 only, and
# Grafana behind it was reported reachable from the internet. A config's file is mounted at its
# target (default /<name>) as a bind mount of it would be.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
g = [n for n in d["model"]["nodes"] if n["kind"] == "gateway"][0]
assert g.get("hosted_by") == ["service:compose:default/edge"] and not g.get("assumed"), g
e = [n for n in d["model"]["nodes"] if n["id"] == "service:compose:default/edge"][0]
assert e["config_mounts"] == ["./edge/site.conf -> /etc/nginx/conf.d/default.conf"], e
assert d["exposure"].get("service:compose:default/grafana") != "internet", d["exposure"]
assert not any(f["rule"] == "TM-MESH-012" for f in d["findings"]), [f["title"] for f in d["findings"]]
PY
exit 0
