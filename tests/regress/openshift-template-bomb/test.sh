# An OpenShift Template is processed by putting its parameters' values into its objects' strings: a
# 1 MiB value referenced a hundred times in each of 2,000 strings would make 200 GB, and thousands of
# parameters are one note each. The processing is bounded: at most 4096 parameters read and 16 MiB
# of values put in per file (past that the strings stay as written), parameters without a value
# named in 16 notes and counted in one more; each bound is said. The rest of the Template is read.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/in"
python3 - "$WORK/in" <<'PY'
import sys
root = sys.argv[1]
big = "A" * (1 << 20)
params = "\n".join("- name: P%d\n  generate: expression\n  from: '[a-z]{8}'" % i for i in range(6000))
refs = "${BIG}" * 100
data = "\n".join('    k%d: "%s"' % (i, refs) for i in range(2000))
open(root + "/bomb.yaml", "w").write("""apiVersion: template.openshift.io/v1
kind: Template
metadata:
  name: bomb
objects:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: ${P1}
  data:
%s
- apiVersion: apps.openshift.io/v1
  kind: DeploymentConfig
  metadata:
    name: web
  spec:
    template:
      metadata:
        labels: {app: web}
      spec:
        containers:
        - name: web
          image: ${SMALL}
parameters:
- name: BIG
  value: "%s"
- name: SMALL
  value: quay.io/acme/web:1
%s
""" % (data, big, params))
PY
run_bounded 60 /usr/bin/time -f "%M" -o "$WORK/rss" "$TRUSTMAP" scan "$WORK/in" --format json --no-store --no-cache
expect_exit 0 1
rss=$(tail -1 "$WORK/rss")
[ "$rss" -lt 400000 ] || fail "peak RSS ${rss} KB: the substitutions are not bounded"
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
msgs = [x["message"] for x in d["diagnostics"]]
assert any("the OpenShift Template bomb: past 16 MiB of parameter values put in, 2000 strings are left as written" in m for m in msgs), msgs
assert any("the OpenShift Template bomb has 6002 parameters: past 4096 they are not read" in m for m in msgs), msgs
assert any("more parameters of the OpenShift Template bomb have no value in the files" in m for m in msgs), msgs
assert sum("is generated when oc process runs" in m for m in msgs) == 16, msgs
nodes = {n["id"]: n for n in d["model"]["nodes"]}
web = nodes.get("service:default/web")
assert web and web.get("images") == ["quay.io/acme/web:1"], web
PY
exit 0
