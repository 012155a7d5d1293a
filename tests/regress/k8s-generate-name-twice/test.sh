# Two hook Jobs written with the same `metadata.generateName` are two objects (the API server names
# each anew), but both were modelled as `db-hook-xxxxx`: the second merged into the first, so its
# privileged container was reported on a Job that runs only the migration image, and one hook was
# lost. The second is `db-hook-xxxx2`.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ids = [n["id"] for n in d["model"]["nodes"]]
assert "service:shop/db-hook-xxxxx" in ids and "service:shop/db-hook-xxxx2" in ids, ids
priv = [f for f in d["findings"] if f["rule"] == "TM-CTR-001"]
assert priv, [f["rule"] for f in d["findings"]]
where = json.dumps(priv)
assert "db-hook-xxxx2" in where and "db-hook-xxxxx\"" not in where, where
PY
exit 0
