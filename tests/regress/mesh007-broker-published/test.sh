# TM-MESH-007 (data store published beyond the host) knew databases by its own image list, which
# had no Kafka or ZooKeeper: a broker and a ZooKeeper published on 0.0.0.0 with a password set were
# only "exposed directly". Now the store the ingesters found a workload runs counts too; bound to
# loopback it is still not published.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
rows = {k: title for k, (_, title) in regress.rows(regress.findings(sys.argv[1]), "TM-MESH-007").items()}
assert sorted(rows) == ["coordinator", "events"], rows
assert "(zookeeper)" in rows["coordinator"] and "(kafka)" in rows["events"], rows
PY
