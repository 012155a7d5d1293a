# kube-state-metrics' ServiceAccount sets automountServiceAccountToken: false, and its ClusterRole
# lists secrets cluster-wide. The walks still took the "acts as" hop from the pods to the account,
# so a public Service gave a high TM-PATH-001 "internet -> ksm -> identity (read-secrets)" and the
# blast radius listed the identity: a pod with no token holds none of the account's rights. The hop
# is taken only to reach a cloud role the account federates to.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [f for f in d["findings"] if f["rule"] == "TM-PATH-001"], [f["title"] for f in d["findings"]]
b = [x for x in d["blast_radius"] if x["workload"] == "service:mon/ksm"]
assert not b or not b[0]["identities"], b
assert any(f["rule"] == "TM-ID-004" for f in d["findings"]), [f["rule"] for f in d["findings"]]
PY
# with the token mounted the path is there
sed 's/automountServiceAccountToken: false/automountServiceAccountToken: true/' "$CASE/in/app.yaml" > "$WORK/app.yaml"
mkdir -p "$WORK/mounted" && mv "$WORK/app.yaml" "$WORK/mounted/"
run_bounded 60 "$TRUSTMAP" scan "$WORK/mounted" --format json --no-store --no-cache
expect_exit 0 1
python3 -c "
import json
d = json.load(open('$WORK/out'))
assert [f for f in d['findings'] if f['rule'] == 'TM-PATH-001'], [f['title'] for f in d['findings']]" || fail "mounted: see above"
exit 0
