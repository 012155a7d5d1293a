# A chart's README.md quoting the manifest it installs (a fenced `apiVersion:` block) was sniffed as a
# YAML input and parsed: "invalid multiline plain key" errors on prose (29 on kustomize's examples/*.md,
# 2 on prometheus-community's chart READMEs). Prose (.md, .txt, .rst, .adoc, .html) is documentation,
# never a YAML input, as it was already never an nginx configuration.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "prose read as an input (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
prose = [d for d in j["diagnostics"] if d["path"].endswith((".md", ".txt"))]
if prose:
    bad.append("diagnostics on prose: %s" % [(d["path"], d["message"]) for d in prose])
inputs = sorted(i["path"] for i in j["inputs"])
if inputs != ["deploy.yaml"]:
    bad.append("inputs %s, want the manifest alone" % inputs)
if "service:monitoring/metrics-agent" not in {n["id"] for n in j["model"]["nodes"]}:
    bad.append("the manifest beside the README is not modelled")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
