# Envoy listeners whose filter chain forwards TCP (a tcp_proxy to a cluster or weighted clusters,
# behind a postgres_proxy or mysql_proxy that only watches; a redis_proxy's catch_all_route) were
# not read: the gateway reached none of its backends (envoy postgres, mysql, redis, tls and
# tls-inspector passthrough sandboxes; measured by tests/e2e/gateway_truth.py). Each is a route of
# the gateway now, on an edge that says `protocols: tcp` and carries no HTTP path.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "envoy tcp_proxy / redis_proxy routes (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
gw = "gateway:envoy:envoy.yaml"
edges = {e["to"].rsplit("/", 1)[-1]: e for e in j["model"]["edges"] if e["from"] == gw and e["kind"] == "routes"}
want = {"postgres": 12, "mysql": 26, "redis": 43, "web-a": 49, "web-b": 49}
bad = []
for svc, line in sorted(want.items()):
    e = edges.get(svc)
    if not e:
        bad.append("no route from the gateway to %s: %s" % (svc, sorted(edges)))
        continue
    if e.get("protocols") != ["tcp"] or "paths" in e or "path_patterns" in e:
        bad.append("%s: not a TCP route without a path: %s" % (svc, e))
    if [ev["line"] for ev in e["evidence"]] != [line]:
        bad.append("%s: evidence %s, expected line %d" % (svc, e["evidence"], line))
node = next(n for n in j["model"]["nodes"] if n["id"] == gw)
if node.get("unresolved_upstreams"):
    bad.append("unresolved upstreams: %s" % node["unresolved_upstreams"])
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
