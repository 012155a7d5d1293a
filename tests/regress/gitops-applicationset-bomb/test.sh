# An ApplicationSet is a template copied once per generated Application: 400 list elements over a
# template of 20,000 values would copy 8 million values (a template bomb, gigabytes). The copies
# are bounded (256 Applications, a million copied values per ApplicationSet): the scan stays fast
# and small, makes what fits, and the note says the rest was left out.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/in/apps/a"
python3 - "$WORK/in" <<'PY'
import sys
root = sys.argv[1]
els = "\n".join("          - name: e%d" % i for i in range(400))
big = "\n".join("        k%d: {a: '{{name}}', b: [1, 2, '{{name}}']}" % i for i in range(5000))
open(root + "/appset.yaml", "w").write("""apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: bomb}
spec:
  generators:
    - list:
        elements:
%s
  template:
    metadata: {name: '{{name}}'}
    spec:
      source: {path: apps/a}
      destination: {namespace: '{{name}}'}
      extra:
%s
""" % (els, big))
open(root + "/apps/a/cm.yaml", "w").write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
PY
run_bounded 60 /usr/bin/time -f "%M" -o "$WORK/rss" "$TRUSTMAP" scan "$WORK/in" --format json --no-store --no-cache
expect_exit 0 1
rss=$(tail -1 "$WORK/rss")
[ "$rss" -lt 800000 ] || fail "peak RSS ${rss} KB: the template copies are not bounded"
grep -q 'the Argo CD ApplicationSet bomb generates [0-9]* Applications from its list generator; the rest left out' "$WORK/out" \
  || fail "no note that the rest was left out"
