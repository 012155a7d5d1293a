# TM-DRIFT-005's generated NetworkPolicy let the gateway's traffic in with
# `- from: - namespaceSelector: {}`, which admits every pod of every namespace, the unused caller
# included: the "tightened" policy tightened nothing. Inputs: the example system (Kubernetes
# only) and the runtime scenario's export, where storefront never calls orders.
. "$(dirname "$0")/../lib.sh"
root="$CASE/../../.."
mkdir -p "$WORK/sys"
cp -r "$root/examples/shop/." "$WORK/sys/" && rm -rf "$WORK/sys/istio"
cp -r "$root/tests/e2e/runtime-scenario/runtime" "$WORK/sys/" || fail "inputs missing"
run_bounded 60 "$TRUSTMAP" scan --no-store -f json "$WORK/sys"
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys, yaml
d = json.load(open(sys.argv[1]))
fs = [f for f in d["findings"] if f["rule"] == "TM-DRIFT-005" and "storefront may call service:shop/orders" in f["title"]]
assert fs, "no TM-DRIFT-005 for storefront -> orders"
pol = yaml.safe_load(fs[0]["action"]["snippet"])
assert pol["kind"] == "NetworkPolicy", pol
ns = pol["metadata"]["namespace"]

def sub(want, have):
    return all(have.get(k) == v for k, v in (want or {}).items())

def admits(peer, labels, pod_ns):
    ps, nss = peer.get("podSelector"), peer.get("namespaceSelector")
    if ps is not None and not sub(ps.get("matchLabels"), labels):
        return False
    if nss is None:
        return pod_ns == ns
    return sub(nss.get("matchLabels"), {"kubernetes.io/metadata.name": pod_ns})

peers = [p for rule in pol["spec"].get("ingress") or [] for p in rule.get("from") or []]
for who, labels, pod_ns in [("the unused caller storefront", {"app": "storefront"}, "shop"),
                            ("an unlabelled pod elsewhere", {}, "elsewhere"),
                            ("an unlabelled pod in shop", {}, "shop")]:
    bad = [p for p in peers if admits(p, labels, pod_ns)]
    assert not bad, f"{who} is admitted by {bad}"
PY
