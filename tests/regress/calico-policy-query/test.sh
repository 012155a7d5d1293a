# Calico's NetworkPolicy (projectcalico.org/v3 and the CRD form crd.projectcalico.org/v1) was skipped as
# "kubernetes NetworkPolicy: recognised, not modelled" (as if Kubernetes' own were unsupported), and
# `query can` answered a confident ALLOW for a call a Calico policy denies. Calico's policies now go
# into the NetworkPolicy table: the query agrees with them, both ways; a kind still passed over is
# named with its API group.
. "$(dirname "$0")/../lib.sh"
q() { # q SRC DST WANT: the query's verdict
  run_bounded 60 "$TRUSTMAP" query can "$1" "$2" "$CASE/in" --format json --no-store --no-cache
  expect_exit 0 1
  python3 - "$WORK/out" "$3" "$1 -> $2" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
want = sys.argv[2] == "allow"
assert d["allowed"] is want and not d["unknown"], (sys.argv[3], d["allowed"], d["reason"])
if not want:
    assert "CalicoNetworkPolicy" in (d.get("decided_by") or {}).get("policy", ""), d["decided_by"]
PY
}
q bank/summary bank/customer deny    # summary's egress admits only the database
q bank/summary data/database allow   # its egress rule and the database's ingress (service account summary)
q bank/customer data/database deny   # the database's ingress admits only service account summary
q bank/customer bank/summary allow   # no Calico policy selects customer or summary's ingress
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
sk = {s["path"]: s["reason"] for s in d.get("skipped", [])}
assert "calico-policy.yaml" not in sk, sk
assert sk.get("hostendpoint.yaml", "").startswith("projectcalico.org HostEndpoint: recognised"), sk
ins = {i["path"]: i for i in d["inputs"]}
assert not ins["calico-policy.yaml"].get("not_modelled"), ins["calico-policy.yaml"]
nodes = {n["id"]: n for n in d["model"]["nodes"]}
s = nodes["service:bank/summary"]
assert s.get("egress_isolated") is True and s.get("ingress_isolated") is not True, s
PY
exit 0
