# TM-PATH-001 named a target a reviewer dismisses: a Vault on a LoadBalancer was a critical path
# "from the internet through vault to datastore vault (restricted data)" although Vault asks every
# client for a token unless started with -dev (TM-MESH-007 says it is published); and a controller
# whose identity lists Secrets cluster-wide was a path to its own mounted webhook certificate, the
# identity (every Secret of the cluster) only the second of two equal targets.
. "$(dirname "$0")/../lib.sh"
for s in vault devvault controller; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/$s" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$s.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, os, sys
def load(s): return json.load(open(os.path.join(sys.argv[1], s + ".json")))
d = load("vault")
fs = [(f["rule"], f["severity"], f["title"]) for f in d["findings"]]
assert not [f for f in fs if f[0] == "TM-PATH-001" and "datastore:secrets/vault" in f[2]], fs
assert any(f[0] == "TM-MESH-007" for f in fs), fs
store = [n for n in d["model"]["nodes"] if n["id"] == "datastore:secrets/vault"][0]
assert store.get("secured_by_default") is True, store
# started with -dev it admits anyone: still said
d = load("devvault")
fs = [(f["rule"], f["severity"], f["title"]) for f in d["findings"]]
assert any(f[0] == "TM-DATA-002" and "vault" in f[2] for f in fs), fs
d = load("controller")
paths = [f["title"] for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert len(paths) == 1 and "identity:k8s:edge/edge" in paths[0] and "cluster-wide" in paths[0], paths
PY
exit 0
