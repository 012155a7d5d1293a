# Two clusters delivering one directory differently were merged: Flux Kustomizations of
# clusters/prod and clusters/staging both apply ./apps/web, prod's postBuild substituting
# WEB_SERVICE_TYPE=LoadBalancer; Argo CD Applications of each cluster render one chart, prod with
# values-prod.yaml (a LoadBalancer). Each cluster's system held both copies ("Service web/web is
# defined again, differently"), the later in path order winning: prod was reported cluster-only
# (renaming staging to aaa flipped both to the internet). Each copy is now in its own delivery's
# systems.
. "$(dirname "$0")/../lib.sh"
check() { # DIR SYSTEM WANT
	run_bounded 60 "$TRUSTMAP" scan "$1" --system "$2" --format json --no-store --no-cache
	expect_exit 0 1
	python3 - "$WORK/out" "$2" "$3" <<'PY' || fail "$1 system $2 (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
x = d["exposure"].get("service:web/web")
assert x == sys.argv[3], (sys.argv[2], x)
again = [g["message"] for g in d["diagnostics"] if "defined again" in g["message"]]
assert not again, again
PY
}
check "$CASE/in/flux" clusters/prod internet
check "$CASE/in/flux" clusters/staging cluster
check "$CASE/in/argo" clusters/prod internet
check "$CASE/in/argo" clusters/staging cluster
# the order of the clusters' directories decides nothing
cp -r "$CASE/in/flux" "$WORK/flux2"
mv "$WORK/flux2/clusters/staging" "$WORK/flux2/clusters/aaa"
check "$WORK/flux2" clusters/prod internet
check "$WORK/flux2" clusters/aaa cluster
exit 0
