# hasura trial: a documentation placeholder DSN (postgres://username:password@hostname:port/dbname:
# a word for the port, "hostname" for the host) gave TM-SEC-001 high and a call to a phantom
# service:default/hostname. Templates of an address (a word where the port goes, a placeholder host,
# <...>, placeholder words for two of user, password and database; URLs and Go DSNs) carry no
# credential and name no peer, with a note at the value; real DSNs beside them still fire and call.
. "$(dirname "$0")/../lib.sh"
for d in k8s compose; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$d" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$d.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
w = sys.argv[1]
def check(d, creds, calls, noted, nodes_absent):
    r = json.load(open(f"{w}/{d}.json"))
    t = sorted(a["title"] for f in r["findings"] if f["rule"] == "TM-SEC-001" for a in f.get("affected", [f]))
    assert t == creds, (d, t)
    got = sorted((e["from"], e["to"]) for e in r["model"]["edges"] if e["kind"] == "calls")
    assert got == calls, (d, got)
    ids = {n["id"] for n in r["model"]["nodes"]}
    assert not ids & set(nodes_absent), (d, ids & set(nodes_absent))
    msgs = [x["message"] for x in r["diagnostics"] if "template of an address" in x["message"]]
    for v in noted:
        assert any(m.startswith(v + " is documentation's template") for m in msgs), (d, v, msgs)
check("k8s", ["service:default/engine: credential engine/ORDERS_DATABASE_URL is written in deployment.yaml"],
      [("service:default/engine", "service:default/orders-db")],
      ["ENGINE_DATABASE_URL", "ENGINE_METADATA_URL", "ENGINE_MYSQL_DSN", "ENGINE_CACHE_URL"],
      ["service:default/hostname", "service:default/your-db-host", "external:hostname"])
check("compose", ["service:compose:default/app: credential app/REPORTS_DSN is written in docker-compose.yml",
                  "service:compose:default/reports: credential reports/POSTGRES_PASSWORD is written in docker-compose.yml"],
      [("service:compose:default/app", "service:compose:default/reports")],
      ["DATABASE_URL"], ["service:compose:default/db_host"])
PY
exit 0
