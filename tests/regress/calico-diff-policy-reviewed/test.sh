# A diff deleting the cluster's only default deny, a Calico GlobalNetworkPolicy, said "Review depth:
# none - the change leaves the model as it was"; loosening a Calico NetworkPolicy's egress to
# `- action: Allow` too. Each is now a removed control (deep-dive), with what it isolated.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/head" "$WORK/loose"
cp "$CASE/base/app.yaml" "$CASE/base/summary-egress.yaml" "$WORK/head/"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$WORK/head" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["review_depth"] == "deep-dive", d["review_depth"]
ch = [c for c in d["changes"] if c["trigger"] == "removed" and "default-app-policy" in c["text"]]
assert ch and "CalicoGlobalNetworkPolicy default-app-policy was deleted" in ch[0]["text"], d["changes"]
ans = [a["answer"] or "" for a in d["agenda"] if a.get("about") == "CalicoGlobalNetworkPolicy default-app-policy"]
assert ans and "it isolated 2 workloads" in ans[0] and "service:bank/customer" in ans[0], d["agenda"]
PY
# the egress rule loosened to admit everything
cp "$CASE/base/app.yaml" "$CASE/base/default-deny.yaml" "$WORK/loose/"
python3 - "$CASE/base/summary-egress.yaml" "$WORK/loose/summary-egress.yaml" <<'PY'
import sys
t = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(t[:t.index("  - action: Allow")] + "  - action: Allow\n")
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$WORK/loose" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["review_depth"] == "deep-dive", (d["review_depth"], d["changes"])
ch = [c for c in d["changes"] if "CalicoNetworkPolicy bank/summary-egress" in c["text"]]
assert ch and ch[0]["trigger"] == "removed" and "was loosened: an egress rule now admits everything" in ch[0]["text"], d["changes"]
PY
exit 0
