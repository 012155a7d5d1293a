# A backend that only its internet-facing caller reached (TM-MESH-003) given a LoadBalancer of its
# own: the review listed TM-MESH-003 under "Resolved findings" as if the change fixed something,
# beside the new TM-MESH-004 on the same service (GoogleCloudPlatform/microservices-demo's cartservice
# made a LoadBalancer). A resolved finding that a new one about the same element supersedes now says
# so, in the Markdown and in the JSON (findings_superseded), and is no longer listed as resolved.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/new"
sed 's/type: ClusterIP/type: LoadBalancer/' "$CASE/old/shop.yaml" > "$WORK/new/shop.yaml"
run_bounded 60 "$TRUSTMAP" diff "$CASE/old" "$WORK/new" --format md --no-store --no-cache
expect_exit 0 1
grep -q 'TM-MESH-003.*superseded by `TM-MESH-004`' "$WORK/out" || fail "not said superseded: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" diff "$CASE/old" "$WORK/new" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "json (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
sup = d["findings_superseded"]
new = {f["fingerprint"]: f["rule"] for f in d["findings_new"]}
assert len(sup) == 1 and sup[0]["finding"]["rule"] == "TM-MESH-003" and new[sup[0]["by"]] == "TM-MESH-004", (sup, new)
# superseded, not resolved: not among the resolved findings
assert not [f for f in d["findings_resolved"] if f["fingerprint"] == sup[0]["resolved"]], d["findings_resolved"]
PY
exit 0
