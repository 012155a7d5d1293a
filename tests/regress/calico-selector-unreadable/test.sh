# Calico selector expressions trustmap cannot read (||, a negated expression, contains, an unclosed
# quote) and ones past its bounds (nesting, length, values in a set) are each a warning at the
# selector naming the character where reading stopped, never a crash or a hang; the rest is read.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/in"
cp "$CASE/in/"*.yaml "$WORK/in/"
python3 - "$WORK/in/bounds.yaml" <<'PY'
import sys
deep = "(" * 40 + "app == 'x'" + ")" * 40
long = " && ".join("k%d == 'v'" % i for i in range(600))
many = "app in {" + ", ".join("'v%d'" % i for i in range(300)) + "}"
out = []
for n, s in (("deep", deep), ("long", long), ("many", many)):
    out.append("apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: %s, namespace: bank}\n"
               "spec:\n  selector: \"%s\"\n" % (n, s))
open(sys.argv[1], "w").write("---\n".join(out))
PY
run_bounded 60 "$TRUSTMAP" scan "$WORK/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
w = {}
for x in d["diagnostics"]:
    if x["severity"] == "warning" and "selector" in x["message"]:
        w.setdefault((x["path"], x["line"]), x["message"])
def at(path, line, *words):
    m = w.get((path, line), "")
    assert all(t in m for t in words), (path, line, m, w)
at("policies.yaml", 5, "'either'", "at character 18", "'||'")
at("policies.yaml", 12, "'negated'", "at character 1", "negated expression")
at("policies.yaml", 19, "'substring'", "contains")
at("policies.yaml", 25, "'unclosed'", "not closed")
at("policies.yaml", 36, "'customer-in'", "'||'", "the peer admits nothing")
at("bounds.yaml", 5, "'deep'", "nested deeper")
at("bounds.yaml", 11, "'long'", "longer than trustmap reads")
at("bounds.yaml", 17, "'many'", "more values in one set")
nodes = {n["id"]: n for n in d["model"]["nodes"]}
assert nodes["service:bank/customer"].get("ingress_isolated") is True, nodes["service:bank/customer"]
PY
run_bounded 60 "$TRUSTMAP" query can bank/summary bank/customer "$WORK/in" --format json --no-store --no-cache
expect_exit 0 1
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["allowed"] is False, d["reason"]' "$WORK/out" \
  || fail "the customer's policy (read) should deny summary"
exit 0
