# A diff that made a container privileged pointed its "privileged now" change at line 1 of the
# workload's OpenAPI spec (the node's first evidence, by path), not at the manifest line that made
# it privileged: a review annotation (SARIF, a PR comment) landed in the wrong file. A grown
# attribute's change now points at the located fact that added it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "the privileged change's evidence (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
ch = [c for c in j["changes"] if "now has privileged containers" in c["text"]]
if len(ch) != 1:
    sys.exit("expected one 'now has privileged containers' change, got %s" % [c["text"] for c in j["changes"]])
ev = ch[0].get("evidence") or [{}]
if ev[0].get("path") != "k8s/web.yaml" or ev[0].get("line") != 19:
    sys.exit("the change points at %s, not k8s/web.yaml:19 (privileged: true)" % ev)
PY
exit 0
