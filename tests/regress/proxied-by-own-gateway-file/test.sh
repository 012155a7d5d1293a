# A workload running two gateways that route to one backend (a Zuul file its config server serves it,
# left from a migration, beside the Spring Cloud Gateway routes of its own application.yml): the
# call that the Spring Cloud Gateway route's uri made was "proxied by" the Zuul gateway, the last one
# read. The gateway whose file holds the call's setting proxies it now.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
gws = sorted(n["id"] for n in d["model"]["nodes"] if n["kind"] == "gateway")
assert len(gws) == 2, gws
e = [e for e in d["model"]["edges"] if e["kind"] == "calls" and e["to"] == "service:compose:default/visits"]
assert len(e) == 1 and "gateway/src/main/resources/application.yml: spring.cloud.gateway.routes[0].uri" in e[0]["setting"], e
assert e[0].get("proxied_by") == "gateway:spring-cloud-gateway:gateway/src/main/resources/application.yml", e
PY
exit 0
