# `docker stack deploy` ignores the host address of a published port and listens on 0.0.0.0 of
# every node (moby/moby#32299): a 127.0.0.1 binding in a stack file (deploy.placement, external
# secrets) was read as loopback only, so the database published on every node got no finding. A
# file with a setting only Swarm acts on is taken for a stack file: the port is published, the
# edge and the node say why, and a note states the assumption. Plain docker compose keeps loopback.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/stack" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "stack: see above"
import json, sys
d = json.load(open(sys.argv[1]))
db = "service:compose:default/orders-db"
assert d["exposure"].get(db) == "internet", d["exposure"]
e = [e for e in d["model"]["edges"] if e["from"] == "entrypoint:internet" and e["to"] == db][0]
assert "placement at docker-stack.yml:13" in e["host_ip_ignored"], e
assert any(f["rule"] == "TM-MESH-007" for f in d["findings"]), [f["rule"] for f in d["findings"]]
assert [x for x in d["diagnostics"] if "Docker Swarm stack" in x["message"] and x["line"] == 9], d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/compose" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "compose: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["exposure"].get("service:compose:default/orders-db") != "internet", d["exposure"]
PY
exit 0
