# piggymetrics: the Spring Cloud Config server serves config/src/main/resources/shared/<app>.yml to
# each application and shared/application.yml to all of them. Those files carry no configuration
# name, so they were never read: the gateway's Zuul routes and every service's MongoDB were missing,
# while a service's local application.yml, which the served file overrides at run time, drew a call
# to a database it does not use; a test resource's application.yml drew calls too. Now a YAML file
# with Spring Boot roots is configuration whatever its name, a served file's settings override the
# application's own, a served application.yml is every client's (the workloads seen to call the
# server), and files under test/ draw no call.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
calls = {(e["from"].split("/")[-1], e["to"].split("/")[-1]): e for e in d["model"]["edges"] if e["kind"] == "calls"}
assert ("gateway", "account-service") in calls, ("a served gateway.yml's zuul route", sorted(calls))
assert calls[("account-service", "account-mongodb")]["setting"] == ["config/src/main/resources/shared/account-service.yml: spring.data.mongodb.host"], calls[("account-service", "account-mongodb")]
assert ("account-service", "other-mongodb") not in calls, "the served file overrides the local application.yml"
s = calls.get(("account-service", "rabbitmq"), {}).get("setting")
assert s == ["config/src/main/resources/shared/application.yml: spring.rabbitmq.host (served to every client of the config server)"], ("a client gets the shared application.yml", s)
assert ("gateway", "rabbitmq") in calls, "the gateway fetches its configuration too (CONFIG_SERVER_URL)"
assert not any(f in ("registry", "config") for f, _ in calls), ("no client, no shared settings; the server's served files are not its own", sorted(calls))
assert not [k for k, e in calls.items() if any("src/test/" in s for s in e.get("setting", []))], "a test resource draws no call"
PY
