# Istio's traffic.sidecar.istio.io capture annotations were not read: the query said a plaintext
# caller was reset by STRICT mTLS on a port the destination's sidecar does not capture, and that a
# pod whose outbound connections are left out of its sidecar called over mTLS with its identity; no
# finding named either. Now a port excluded inbound is reached directly (no mTLS, no
# AuthorizationPolicy), decided by the annotation at its line; a client's connection on an
# excluded port or to every address leaves in plaintext without its identity (STRICT resets it); a
# partial include range is assumed to cover the cluster address, and the step says so; TM-MESH-011
# names the workloads, one finding for namespace shop, quiet on the API server's address.
. "$(dirname "$0")/../lib.sh"
q() { run_bounded 60 "$TRUSTMAP" query can "$@" "$CASE/in"; }
q shop/legacy shop/api:9090
expect_exit 0
head -c 12 "$WORK/out" | grep -q "ALLOW (200)" || fail "plaintext to api's excluded port refused: $(head -3 "$WORK/out")"
grep -q "decided by: traffic.sidecar.istio.io/excludeInboundPorts on shop/api  (app.yaml:21:" "$WORK/out" ||
  fail "not decided by the annotation: $(head -3 "$WORK/out")"
grep -q "port 9090 of shop/api is excluded from the sidecar by traffic.sidecar.istio.io/excludeInboundPorts: mtls and authorization policy do not apply there" "$WORK/out" ||
  fail "the step does not say why: $(head -3 "$WORK/out")"
q shop/legacy shop/api
expect_exit 1
head -c 12 "$WORK/out" | grep -q "DENY (reset)" || fail "plaintext reached api's captured port: $(head -3 "$WORK/out")"
q shop/worker shop/api
expect_exit 1
head -c 12 "$WORK/out" | grep -q "DENY (reset)" || fail "worker's excluded port 80 still went over mtls: $(head -3 "$WORK/out")"
grep -q "port 80 is excluded from the sidecar of shop/worker by traffic.sidecar.istio.io/excludeOutboundPorts: its connections there leave in plaintext" "$WORK/out" ||
  fail "the step does not say why: $(head -3 "$WORK/out")"
q shop/batch shop/api
expect_exit 1
head -c 12 "$WORK/out" | grep -q "DENY (reset)" || fail "batch's 0.0.0.0/0 exclusion not read: $(head -3 "$WORK/out")"
q shop/sync shop/api
expect_exit 0
grep -q "includeOutboundIPRanges of shop/sync has its sidecar capture only 10.96.0.0/12, and the address of shop/api is not in the manifests: assumed among them" "$WORK/out" ||
  fail "the assumption on a partial range is not said: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
assert nodes["service:shop/api"]["sidecar_inbound_uncaptured"] == ["15020", "9090"], nodes["service:shop/api"]
assert nodes["service:shop/worker"]["sidecar_outbound_uncaptured"] == ["port 5432", "port 80"], nodes["service:shop/worker"]
f = [f for f in d["findings"] if f["rule"] == "TM-MESH-011"]
assert len(f) == 1, [x["title"] for x in f]
members = {a["node"]: a for a in f[0].get("affected", [])}
assert set(members) == {"service:shop/api", "service:shop/batch", "service:shop/exporter", "service:shop/sync",
                        "service:shop/worker"}, sorted(members)
sev = {k: v["severity"] for k, v in members.items()}
assert sev == {"service:shop/api": "high", "service:shop/batch": "medium", "service:shop/exporter": "low",
               "service:shop/sync": "low", "service:shop/worker": "low"}, sev
assert f[0]["severity"] == "high", f[0]["severity"]
t = members["service:shop/api"]["title"]
assert "port 9090 (Service api port 9090)" in t and "STRICT mTLS (PeerAuthentication shop/default)" in t \
    and "AuthorizationPolicy shop/api-callers" in t and "15020" not in t, t
assert members["service:shop/api"]["evidence"]["line"] == 21, members["service:shop/api"]["evidence"]
t = members["service:shop/exporter"]["title"]
assert "metrics or health" in t and "169.254.169.254/32 (the cloud's metadata endpoint)" in t and "10.96.0.1" not in t, t
assert "every address (0.0.0.0/0)" in members["service:shop/batch"]["title"], members["service:shop/batch"]["title"]
PY
exit 0
