# grafana/loki production/docker (trial AK): every compose service mounting the directory that held
# nginx.conf (./config:/etc/loki/ for Loki's own files) was taken to run the nginx gateway, so the
# gateway had 7 hosts and TM-MESH-004 ("exposed around the gateway") disappeared for them. A
# directory mount makes a service a host only where its program reads the file: nginx.conf mounted
# by the proxy itself, a conf.d directory mounted where nginx reads it; not ./conf at /etc/tempo.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/logs" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "logs: see above"
import json, sys
d = json.load(open(sys.argv[1]))
gw = [n for n in d["model"]["nodes"] if n["kind"] == "gateway"]
assert len(gw) == 1, [g["id"] for g in gw]
assert gw[0].get("hosted_by") == ["service:compose:logs/proxy"], gw[0].get("hosted_by")
m4 = [f for f in d["findings"] if f["rule"] == "TM-MESH-004"]
assert m4 and m4[0]["severity"] == "high", [(f["rule"], f["severity"]) for f in m4]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/edge" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "edge: see above"
import json, sys
d = json.load(open(sys.argv[1]))
gw = [n for n in d["model"]["nodes"] if n["kind"] == "gateway"]
assert len(gw) == 1, [g["id"] for g in gw]
assert gw[0].get("hosted_by") == ["service:compose:edge/web"], gw[0].get("hosted_by")
assert "/etc/nginx/conf.d/default.conf" in gw[0].get("hosted_how", ""), gw[0].get("hosted_how")
PY
exit 0
