# microservices-demo ships its NetworkPolicies with `namespace: YOUR_NAMESPACE` for the user to fill
# in. A change filling it in adds protection (TM-MESH-006 resolved), but the review said
# "deep-dive: NetworkPolicy YOUR_NAMESPACE/deny-all was deleted" and asked what the deleted control
# protected. A NetworkPolicy that selected no workload of the base protected nothing: its deletion
# is a plain change, named as a move when the head has it in another namespace.
. "$(dirname "$0")/../lib.sh"
cp -r "$CASE/base" "$WORK/head"
sed -i 's/namespace: YOUR_NAMESPACE/namespace: default/' "$WORK/head/np.yaml"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$WORK/head" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ch = [(c["trigger"], c["text"]) for c in d["changes"]]
assert d["review_depth"] != "deep-dive", (d["review_depth"], ch)
assert not any(t == "removed" for t, x in ch), ch
assert any("moved to namespace default" in x and "protected nothing" in x for t, x in ch), ch
assert any(f["rule"] == "TM-MESH-006" for f in d["findings_resolved"]), d["findings_resolved"]
PY
exit 0
