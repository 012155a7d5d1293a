# Wording. TM-CTR-002 said "no runAsNonRoot or runAsUser" of a container that writes runAsNonRoot:
# false; a diff said a compose service "was cluster" before it was published (a compose project has
# no cluster: the reports call it its compose networks).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/k8s" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
import regress
d = json.load(open(sys.argv[1]))
t = [m["title"] for m in regress.members(d["findings"], "TM-CTR-002")]
assert len(t) == 1, t
# two containers, one of them saying runAsNonRoot: false: the general words
assert "no runAsNonRoot or runAsUser" in t[0], t
PY
sed 's/        - name: sidecar/      # one container/; s/          image: busybox:1.36//' "$CASE/in/k8s/deploy.yaml" > "$WORK/one.yaml"
mkdir -p "$WORK/one" && mv "$WORK/one.yaml" "$WORK/one/"
run_bounded 60 "$TRUSTMAP" scan "$WORK/one" --format json --no-store --no-cache
expect_exit 0 1
grep -q 'vllm: no runAsUser, and runAsNonRoot: false' "$WORK/out" || fail "CTR-002 does not name runAsNonRoot: false"
run_bounded 60 "$TRUSTMAP" diff "$CASE/in/base" "$CASE/in/head" --no-store --no-cache --format md
expect_exit 0 1
grep -q 'now reachable from the internet (was compose networks)' "$WORK/out" || fail "diff wording: $(grep -m1 'now reachable' "$WORK/out")"
exit 0
