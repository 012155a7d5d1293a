# Four Terraform shapes from real repositories that were read wrong:
# r3: a GitHub OIDC trust whose `*` is under StringEquals (compared literally: no token matches) was
#     a high TM-CLOUD-001 "trusts a wildcard subject";
# r4: IAMFullAccess on the deploy role (it may attach AdministratorAccess to itself) was no admin;
# r11: an RDS instance with no public address behind a 0.0.0.0/0 security group was a high
#     TM-CLOUD-003 "reachable from the internet" (TM-CLOUD-005 on the group is the finding);
# r14: `name = null` (the provider names it from name_prefix) made nodes called "null", every such
#     resource one node; the address stands in.
. "$(dirname "$0")/../lib.sh"
for r in r3 r4 r11 r14; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/$r" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$r.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys, os
def load(r): return json.load(open(os.path.join(sys.argv[1], r + ".json")))
rules = lambda d: [(f["rule"], f["severity"]) for f in d["findings"]]
d = load("r3"); assert not [f for f in d["findings"] if f["rule"] == "TM-CLOUD-001"], rules(d)
d = load("r4"); assert any(f["rule"] == "TM-CLOUD-002" and "IAMFullAccess" in f["title"] for f in d["findings"]), rules(d)
d = load("r11"); assert not [f for f in d["findings"] if f["rule"] == "TM-CLOUD-003"], rules(d)
assert any(f["rule"] == "TM-CLOUD-005" for f in d["findings"]), rules(d)
d = load("r14"); ids = [n["id"] for n in d["model"]["nodes"]]
assert not [i for i in ids if i.endswith(":null")], ids
assert "identity:aws:aws_iam_role.this" in ids, ids
PY
exit 0
