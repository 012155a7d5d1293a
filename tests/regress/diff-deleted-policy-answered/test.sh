# A diff deleting NetworkPolicies asked "What did the deleted control protect, and what reaches it
# now?" and answered "unresolved: the inputs do not say", though both models hold the answer. The
# agenda now names the workloads the policy isolated and whether the head still isolates each.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/head"
# the head: redis-cart's policy deleted, deny-all kept (cart and redis-cart stay isolated by it)
python3 - "$CASE/base/app.yaml" "$WORK/head/app.yaml" <<'PY'
import sys
docs = open(sys.argv[1]).read().split("---\n")
open(sys.argv[2], "w").write("---\n".join(d for d in docs if "name: redis-cart, namespace: shop}\nspec:\n  podSelector" not in d))
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$WORK/head" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ag = [a for a in d["agenda"] if a.get("about") == "NetworkPolicy shop/redis-cart"]
assert ag, d["agenda"]
ans = ag[0]["answer"] or ""
assert "it isolated 1 workload" in ans and "still isolated by other policies: service:shop/redis-cart" in ans, ans
PY
# deleting deny-all too leaves redis-cart open to every pod
python3 - "$WORK/head/app.yaml" <<'PY'
import sys
p = sys.argv[1]
docs = open(p).read().split("---\n")
open(p, "w").write("---\n".join(d for d in docs if "name: deny-all" not in d))
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$WORK/head" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ans = {a["about"]: a["answer"] or "" for a in d["agenda"]}
assert "now open to every pod of the cluster" in ans.get("NetworkPolicy shop/redis-cart", ""), ans
assert "it isolated 2 workloads" in ans.get("NetworkPolicy shop/deny-all", ""), ans
PY
exit 0
