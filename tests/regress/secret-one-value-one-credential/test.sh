# airflow trial: TM-SEC-001 counted one inherited value once per service: the official compose writes
# its connection string once under an x- extension, anchored and merged (`<<: *airflow-common`) into
# every component, and the finding said "16 credentials are written". One value on one line is one
# credential, listed with the services that take it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "TM-SEC-001"]
assert len(f) == 1 and f[0]["title"].startswith("3 credentials in compose:default are written"), [x["title"] for x in f]
t = sorted(a["title"] for a in f[0]["affected"])
conn = [x for x in t if "SQL_ALCHEMY_CONN" in x]
assert conn == ["service:compose:default/airflow-init: credential AIRFLOW__DATABASE__SQL_ALCHEMY_CONN is written once in "
                "docker-compose.yaml:9 and taken by 5 services (airflow-init, airflow-scheduler, airflow-triggerer, "
                "airflow-webserver and 1 more)"], t
a = [a for a in f[0]["affected"] if "SQL_ALCHEMY_CONN" in a["title"]][0]
assert a["evidence"]["line"] == 9, a
# every service that takes it is on the finding's path
assert {"service:compose:default/airflow-worker", "service:compose:default/airflow-webserver"} <= set(f[0]["path"]), f[0]["path"]
PY
exit 0
