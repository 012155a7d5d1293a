# One object defined in two files flipped the answers: a copy of examples/shop/k8s/storefront.yaml
# beside it turned storefront from internet to cluster, `paths` lost its route and `who-can-call
# storefront` failed. An object defined twice in one system is one object: every answer must stay
# the same as without the copy, and the node must carry both definitions as evidence.
. "$(dirname "$0")/../lib.sh"
SHOP="$CASE/../../../examples/shop"
cp -r "$SHOP" "$WORK/orig"
cp -r "$SHOP" "$WORK/copy"
cp "$WORK/copy/k8s/storefront.yaml" "$WORK/copy/k8s/storefront-copy.yaml"
for side in orig copy; do
  run_bounded 60 "$TRUSTMAP" scan "$WORK/$side" --format json --no-store
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$side.json"
  run_bounded 60 "$TRUSTMAP" paths --from internet --format json "$WORK/$side"
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$side.paths"
  run_bounded 60 "$TRUSTMAP" query who-can-call storefront --format json "$WORK/$side"
  expect_exit 0
  cp "$WORK/out" "$WORK/$side.callers"
done
python3 - "$WORK" <<'PY' || fail "the copy changed an answer (see above)"
import json, sys
w = sys.argv[1]
o, c = json.load(open(w + "/orig.json")), json.load(open(w + "/copy.json"))
bad = []
if o["exposure"] != c["exposure"]:
    bad.append("exposure: %s" % {k: (o["exposure"].get(k), c["exposure"].get(k)) for k in set(o["exposure"]) | set(c["exposure"]) if o["exposure"].get(k) != c["exposure"].get(k)})
if sorted(f["fingerprint"] for f in o["findings"]) != sorted(f["fingerprint"] for f in c["findings"]):
    bad.append("findings differ")
if sorted(n["id"] for n in o["model"]["nodes"]) != sorted(n["id"] for n in c["model"]["nodes"]):
    bad.append("nodes differ")
if len(c["systems"]) != 1:
    bad.append("the copy made %d systems" % len(c["systems"]))
sf = [n for n in c["model"]["nodes"] if n["id"] == "service:shop/storefront"][0]
paths = {e["path"] for e in sf["evidence"]}
if not {"k8s/storefront.yaml", "k8s/storefront-copy.yaml"} <= paths:
    bad.append("storefront's evidence lacks one definition: %s" % sorted(paths))
if not any("identically" in d["message"] for d in c["diagnostics"]):
    bad.append("no note says the object is defined twice")
for kind in ("paths", "callers"):
    a, b = open(w + "/orig." + kind).read(), open(w + "/copy." + kind).read()
    if a != b:
        bad.append(kind + " differ")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
