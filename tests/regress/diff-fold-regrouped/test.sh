# A fold across two namespaces (three privileged workloads in shop and billing) that a change left in
# one namespace (billing's made safe) was reviewed as a new critical finding "2 workloads in namespace
# shop ..." whose members all stood before, folded otherwise: the gate failed on a fix. The review now
# judges a fold by its members: nothing new, the one that left resolved, the gate passes.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --format json --no-store --no-cache --fail-on low
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "the regrouped fold (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
if j["findings_new"]:
    sys.exit("new findings: %s" % [x["title"] for x in j["findings_new"]])
r = [f for f in j["findings_resolved"] if f["rule"] == "TM-CTR-001"]
if len(r) != 1:
    sys.exit("expected one resolved TM-CTR-001, got %s" % [x["title"] for x in j["findings_resolved"]])
marked = [a["node"] for a in r[0]["affected"] if a.get("change") == "resolved"]
if marked != ["service:billing/ledger"]:
    sys.exit("members marked resolved: %s, not service:billing/ledger" % marked)
PY
# the reverse change: billing's workload privileged again joins the fold, a new finding
run_bounded 60 "$TRUSTMAP" diff "$CASE/head" "$CASE/base" --format json --no-store --no-cache --fail-on critical
expect_exit 1
python3 - "$WORK/out" <<'PY' || fail "the member that joined (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
f = [f for f in j["findings_new"] if f["rule"] == "TM-CTR-001"]
if len(f) != 1:
    sys.exit("expected one new TM-CTR-001, got %s" % [x["title"] for x in j["findings_new"]])
marked = [a["node"] for a in f[0]["affected"] if a.get("change") == "new"]
if marked != ["service:billing/ledger"]:
    sys.exit("members marked new: %s, not service:billing/ledger" % marked)
PY
exit 0
