# Credentials written in an application's own configuration file were attributed to no workload
# ("used by -"), although the same file's calls were: the internet-facing orders API's blast radius
# and attack paths never reached the sa password it holds, and two APIs sharing one sa login got no
# TM-SEC-002. Now the file's workloads hold its node (a mounts edge, used_by), by the owner decision
# its calls take (a test project's file is no one's; a Dockerfile's ENV is its image's workloads'),
# and the same login (host, user and password: whatever database, port or case) written in several
# files is one shared credential; the same password on another host is another credential.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
def sec(p): return nodes.get("secret:config:" + p, {})
def svc(n): return "service:default/" + n
assert sec("src/OrdersAPI/appsettings.json").get("used_by") == [svc("ordersapi")], sec("src/OrdersAPI/appsettings.json")
assert sec("src/CustomersAPI/appsettings.Production.json").get("used_by") == [svc("customersapi")]
assert sec("src/ReportsAPI/appsettings.json").get("used_by") == [svc("reportsapi")]
assert sec("src/ReportsAPI/Dockerfile").get("used_by") == [svc("reportsapi")], sec("src/ReportsAPI/Dockerfile")
t = sec("tests/OrdersAPI.Tests/appsettings.json")
assert t and not t.get("used_by"), t
mounts = {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "mounts"}
assert (svc("ordersapi"), "secret:config:src/OrdersAPI/appsettings.json") in mounts, sorted(mounts)
shared = [f for f in d["findings"] if f["rule"] == "TM-SEC-002"]
assert len(shared) == 1, [f["title"] for f in shared]
f = shared[0]
assert "held by 2 workloads" in f["title"] and "3 configuration files" in f["title"], f["title"]
files = {e["path"] for e in f["evidence"]}
assert files == {"src/OrdersAPI/appsettings.json", "src/CustomersAPI/appsettings.Production.json",
                 "tests/OrdersAPI.Tests/appsettings.json"}, files
assert set(f["path"][1:]) == {svc("ordersapi"), svc("customersapi")}, f["path"]
blast = {b["workload"]: b for b in d["blast_radius"]}
assert "secret:config:src/OrdersAPI/appsettings.json" in blast[svc("ordersapi")]["crown_jewels"], blast[svc("ordersapi")]
PY
run_bounded 60 "$TRUSTMAP" paths --from internet "$CASE/in" --no-store --no-cache
expect_exit 0 1
grep -q "^[0-9]*\. secret:config:src/OrdersAPI/appsettings.json" "$WORK/out" || { cat "$WORK/out" >&2; fail "no path from the internet to the orders API's credentials"; }
grep -q "reads the credentials in its files" "$WORK/out" || { cat "$WORK/out" >&2; fail "the hop into the file is not said"; }
exit 0
