# airflow trial: the Fernet key (FERNET_KEY of the community images, AIRFLOW__CORE__FERNET_KEY) decrypts
# every connection password Airflow stores, yet was no credential: a compose file writing it for three
# services got TM-SEC-001 for POSTGRES_PASSWORD alone, and nothing said the key was shared. Fernet keys
# are credentials now, and one written value taken by several services (not the store that checks it:
# the database and its client share a password by design) is TM-SEC-002. An empty key or one from the
# deployment's environment is none.
. "$(dirname "$0")/../lib.sh"
for d in fire quiet; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$d" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$d.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
w = sys.argv[1]
def titles(d, rule):
    r = json.load(open(f"{w}/{d}.json"))
    return sorted(a["title"] for f in r["findings"] if f["rule"] == rule for a in f.get("affected", [f]))
one = titles("fire", "TM-SEC-001")
fernet = [t for t in one if "FERNET_KEY" in t]
assert len(fernet) == 3, one
assert any("credential worker/AIRFLOW__CORE__FERNET_KEY" in t for t in fernet), fernet
two = titles("fire", "TM-SEC-002")
assert len(two) == 1, two
assert "FERNET_KEY written in docker-compose-CeleryExecutor.yml:" in two[0], two
assert two[0].endswith("and 2 other places is used by 3 services (scheduler, webserver, worker)"), two
# the database and its one client hold one password by design: no TM-SEC-002 for it
assert not any("POSTGRES_PASSWORD" in t for t in two), two
assert not titles("quiet", "TM-SEC-001") and not titles("quiet", "TM-SEC-002"), (titles("quiet", "TM-SEC-001"), titles("quiet", "TM-SEC-002"))
PY
exit 0
