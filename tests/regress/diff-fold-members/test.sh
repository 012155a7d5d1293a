# A workload that joined a fold (two privileged workloads of a namespace, then three) was reported as
# the whole fold, located at its first member, a file the change did not touch; the reverse change
# (one of three made safe, the fold stays) reported nothing resolved and "the change leaves the
# model as it was". The review now names the member that joined or left, and points at its file.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" new <<'PY' || fail "the joined member (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
f = [f for f in j["findings_new"] if f["rule"] == "TM-CTR-001"]
if len(f) != 1:
    sys.exit("expected one new TM-CTR-001, got %s" % [x["title"] for x in j["findings_new"]])
f = f[0]
marked = [a["node"] for a in f["affected"] if a.get("change") == "new"]
if marked != ["service:shop/c"] or f["affected"][0]["node"] != "service:shop/c":
    sys.exit("members marked new: %s (first %s), not service:shop/c" % (marked, f["affected"][0]["node"]))
if f["evidence"][0]["path"] != "k8s/c.yaml":
    sys.exit("the finding points at %s, not k8s/c.yaml" % f["evidence"][0])
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/head" "$CASE/base" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "the member that left (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
f = [f for f in j["findings_resolved"] if f["rule"] == "TM-CTR-001"]
if len(f) != 1:
    sys.exit("expected one resolved TM-CTR-001, got %s" % [x["title"] for x in j["findings_resolved"]])
marked = [a["node"] for a in f[0]["affected"] if a.get("change") == "resolved"]
if marked != ["service:shop/c"]:
    sys.exit("members marked resolved: %s, not service:shop/c" % marked)
if "resolves 1 finding" not in j["review_reason"]:
    sys.exit("review reason: %r" % j["review_reason"])
PY
exit 0
