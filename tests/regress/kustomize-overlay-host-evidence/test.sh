# Findings folded across kustomize overlays (trial L4). The same Ingress in each overlay with the
# host an overlay's patch sets: TM-MESH-013 was listed once for "all" variants quoting the first
# variant's host, and its evidence was the base object only. The variants cell now says the details
# differ by variant, the host is cited where the patch sets it, and an overlay whose patch replaces
# spec.rules (an atomic list) with a rule without http paths routes nothing: a note, and no
# "serves ... to the internet without TLS".
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
systems = {s["variant"]: s for s in d["systems"]}
assert sorted(systems) == ["overlays/bare", "overlays/dev", "overlays/prod"], sorted(systems)
def mesh013(s):
    fs = s["findings"] if "findings" in s else d["findings"]
    return [f for f in fs if f["rule"] == "TM-MESH-013"]
for env in ("dev", "prod"):
    f = mesh013(systems["overlays/" + env])
    assert len(f) == 1 and ("web.%s.example.test" % env) in f[0]["title"], f
    paths = [e["path"] for e in f[0]["evidence"]]
    assert "overlays/%s/kustomization.yaml" % env in paths, paths
assert not mesh013(systems["overlays/bare"]), mesh013(systems["overlays/bare"])
notes = [x for x in d["diagnostics"] if "routes nothing" in x["message"]]
assert notes and notes[0]["path"] == "overlays/bare/host.yaml", d["diagnostics"]
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
grep 'TM-MESH-013' "$WORK/out" | grep -q '(details differ by variant)' \
  || { grep 'TM-MESH-013' "$WORK/out" >&2; fail "the folded row does not say its details differ by variant"; }
exit 0
