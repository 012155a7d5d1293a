# An image tag that says the build is without a store (1.0.3-no-vault) named that store (trial T6):
# a phantom Vault, classified as holding credentials, became the crown jewel of the Blast radius.
# A tag's last word names a store only when no "no"/"without" stands before it (demo:2.0.2-kafka
# still does).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
stores = sorted(n.get("store") for n in d["model"]["nodes"] if n["kind"] in ("datastore", "queue"))
assert stores == ["kafka"], stores
PY
exit 0
