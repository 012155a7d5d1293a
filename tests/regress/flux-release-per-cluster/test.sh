# flux2-kustomize-helm-example's shape with the chart in the repository: apps/base holds a HelmRelease,
# apps/production patches its values to a LoadBalancer, apps/staging does not, and each cluster
# delivers its own overlay. Both clusters' releases were rendered into each cluster's system (the
# later one won, "Service web/web is defined again, differently"), so production's exposure was missed
# (or staging got production's). A release rendered from what a kustomization's output holds is now
# in that kustomization's systems only.
. "$(dirname "$0")/../lib.sh"
for sys in production staging; do
	run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --system "clusters/$sys" --format json --no-store --no-cache
	expect_exit 0 1
	python3 - "$WORK/out" "$sys" <<'PY' || fail "system $sys (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
x = d["exposure"].get("service:web/web")
want = "internet" if sys.argv[2] == "production" else "cluster"
assert x == want, (sys.argv[2], x)
assert not [g for g in d["diagnostics"] if "defined again" in g["message"]], d["diagnostics"]
PY
done
exit 0
