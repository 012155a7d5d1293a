# An umbrella chart whose dependencies are charts beside it in the repository (repository:
# file://../orders), not vendored in charts/ until `helm dependency build` copies them: each was "not
# vendored: not rendered", so the umbrella's own values (payments behind a LoadBalancer) reached no
# object and the release as installed was never modelled. Now a file:// dependency is read from
# the tree (never a path out of it), its values scoped under its name.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache --system charts/umbrella
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "an umbrella chart's file:// dependencies are not rendered (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
ids = {n["id"] for n in j["model"]["nodes"]}
for s in ("service:default/release-name-orders", "service:default/release-name-payments"):
    if s not in ids:
        bad.append("%s not modelled: %s" % (s, sorted(ids)))
if j["exposure"].get("service:default/release-name-payments") != "internet":
    bad.append("the umbrella's values do not reach its dependency: %s" % j["exposure"])
if j["exposure"].get("service:default/release-name-orders") == "internet":
    bad.append("orders exposed: %s" % j["exposure"])
msgs = [d["message"] for d in j["diagnostics"]]
if not any('"evil" is declared but not vendored' in m for m in msgs):
    bad.append("a file:// path out of the tree is not refused: %s" % msgs)
if any('"orders" is declared' in m or '"common" is declared' in m for m in msgs):
    bad.append("a file:// dependency in the tree is reported missing: %s" % msgs)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
