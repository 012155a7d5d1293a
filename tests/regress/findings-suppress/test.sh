# Noise control was per fingerprint only: silencing one rule on one directory took an entry per
# finding. A suppression by rule and path (or namespace) in trustmap.yaml silences exactly what it
# names, with its owner and reason; a trustmap.io/ignore annotation silences a rule on its workload;
# a suppression that matches nothing, or has expired, is listed as such.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "suppressions (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
def members(f):
    return [m["node"] for m in f.get("affected", [])] or [f["subject"]]
ctr4 = [f for f in j["findings"] if f["rule"] == "TM-CTR-004"]
for f in ctr4:
    for node in members(f):
        pass
legacy = [f for f in ctr4 if any("legacy" in n for n in members(f))]
if not legacy or any(f["status"] != "accepted" or "legacy stack" not in (f.get("decision") or {}).get("why", "") for f in legacy):
    bad.append("TM-CTR-004 in legacy/ is not suppressed with its reason: %s" % [(f["title"], f["status"]) for f in legacy])
shop = [f for f in ctr4 if any(n.startswith("service:shop/") for n in members(f))]
web = [f for f in shop if "service:shop/web" in members(f) and f["status"] == "accepted"]
api_open = [f for f in shop if "service:shop/api" in members(f) and f["status"] == "open"]
if not api_open:
    bad.append("TM-CTR-004 on shop/api should stay open: %s" % [(f["title"], f["status"]) for f in shop])
if not any("release pipeline" in ((f.get("decision") or {}).get("why") or "") for f in ctr4):
    bad.append("the annotation's reason is nowhere: %s" % [(f["title"], f["status"], f.get("decision")) for f in shop])
sup = j["overlay"]["suppressions"]
by = {(s["rule"], s.get("namespace")): s for s in sup}
if by.get(("TM-CTR-*", "nowhere"), {}).get("matched") != 0:
    bad.append("the suppression matching nothing is not reported as such: %s" % sup)
lapsed = [s for s in sup if s["rule"] == "TM-CTR-005"]
if not lapsed or lapsed[0]["expired"] is not False and lapsed[0]["expired"] is not True:
    bad.append("expired flag missing: %s" % lapsed)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
# the Markdown report lists the suppression that matches nothing and says a finding is suppressed
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store
grep -q "suppression matches nothing now" "$WORK/out" || fail "md: the unused suppression is not listed"
grep -q "suppressed (" "$WORK/out" || fail "md: no finding shows as suppressed"
exit 0
