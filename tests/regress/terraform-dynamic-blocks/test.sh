# Terraform `dynamic` blocks were dropped without a word: a security group whose ingress rules are
# generated from a variable opened nothing, and an IAM trust written as dynamic statements trusted
# nobody. Each block is generated per item of its for_each (a variable's default list of objects,
# a literal map, a custom `iterator`); a for_each the files do not give (a variable without a
# value) still gives one block, its iterator's values unknown and said so.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
sg = nodes.get("entrypoint:cloud:aws-sg:db")
assert sg, sorted(nodes)
ing = sg.get("open_ingress", [])
assert "tcp 22-22 from the internet" in ing, ing
assert not [i for i in ing if "5432" in i], ing  # 10.0.0.0/8 is no internet rule
assert [i for i in ing if "ports not known" in i and "ingress.value" in i], ing
assert "22 (ssh)" in sg.get("open_sensitive_ports", []), sg
rules = [(f["rule"], f["title"]) for f in d["findings"]]
assert any(r == "TM-CLOUD-005" and "22 (ssh)" in t for r, t in rules), rules
# the dynamic trust statement that names "*" is a role anyone may assume
assert any(r == "TM-CLOUD-001" and "deploy" in t for r, t in rules), rules
PY
exit 0
