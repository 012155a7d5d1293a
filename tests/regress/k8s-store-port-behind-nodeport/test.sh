#!/usr/bin/env bash
# pitstop trial (AH-2): a data store known by its port alone (microsoft/mssql-server-linux, the old
# official image name, was not in the table; acme images on 5432 or 6379) behind a NodePort made no
# TM-MESH-007, while a LoadBalancer did: the rule read the Service's own ports, and a NodePort's is
# the node port (30000), never a store's. The container port it lands on (targetPort, by number or
# by name) names the store; the old image name is SQL Server's too.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
t = sorted(m["title"] for m in regress.members(regress.findings(sys.argv[1]), "TM-MESH-007"))
want = ["service:shop/orders-db: data store (PostgreSQL) published beyond the host (NodePort 31432)",
        "service:shop/session-cache: data store (Redis) published beyond the host (NodePort 30000-32767)",
        "service:shop/sqlserver: data store (mssql) published beyond the host (NodePort 30000)"]
assert t == want, t
PY
exit 0
