# A Spring Cloud Config server's repository files are served to the applications they are named for
# (<application>.yml), but three common shapes gave them to the config server itself, or to no one:
# a compose service running a config server (SPRING_PROFILES_ACTIVE=native) bind-mounting the
# repository (spring-petclinic-microservices: the gateway "hosted by" config-server, the internet
# reaching customers through the config server's port); a git backend whose repository is checked
# out beside it (a phantom internet-facing gateway of no one); and the native profile with no
# search-locations, which serves classpath:/config (piomin's config-service "ran" every gateway and
# made every call).
. "$(dirname "$0")/../lib.sh"
for d in mounted git native; do
	run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$d" --format json --no-store --no-cache
	expect_exit 0 1
	cp "$WORK/out" "$WORK/$d.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
def load(n):
    return json.load(open(f"{sys.argv[1]}/{n}.json"))
def gateways(d):
    return {n["id"]: n.get("hosted_by") for n in d["model"]["nodes"] if n["kind"] == "gateway"}
def calls(d):
    return {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"}

d = load("mounted")
g = gateways(d)
assert g == {"gateway:spring-cloud-gateway:config-repo/api-gateway.yml": ["service:compose:default/api-gateway"]}, g
assert ("service:compose:default/api-gateway", "service:compose:default/customers-service") in calls(d), calls(d)
assert not any(f == "service:compose:default/config-server" for f, t in calls(d)), calls(d)

d = load("git")
g = gateways(d)
assert g == {"gateway:zuul:shop-config/edge.yml": ["service:compose:default/edge"]}, g

d = load("native")
g = gateways(d)
assert list(g.values()) == [["service:compose:default/gateway-service"]], g
assert ("service:compose:default/gateway-service", "service:compose:default/employee-service") in calls(d), calls(d)
assert not any(f == "service:compose:default/config-service" for f, t in calls(d)), calls(d)
PY
exit 0
