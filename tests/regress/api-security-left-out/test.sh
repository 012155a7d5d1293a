# Vendor specs often state security per operation and leave it out of a few (Adyen's balance
# platform: 53 of 91 operations state theirs, no document default): each of the few was "needs no
# credentials", critical, though the spec is as likely incomplete as the operation open. Now an
# operation that states no requirement where most of its document's operations state their own is
# asked about at medium ("left out of the spec, or open to anyone?"); an explicit `security: []`
# stays open, and a document where few operations state one keeps its findings.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = {x["title"]: x for x in d["findings"] if x["rule"] == "TM-API-001"}
asked = [t for t in f if t.startswith("POST /payouts states no security requirement while 6 of 8 operations")]
assert len(asked) == 1 and f[asked[0]]["severity"] == "medium" and asked[0].endswith("left out of the spec, or open to anyone?"), f
assert any(t.startswith("POST /refunds needs no credentials") and f[t]["severity"] == "critical" for t in f), f
assert f.get("2 operations in service api/notes-api need no credentials", {}).get("severity") == "critical", f
ep = [n for n in d["model"]["nodes"] if n["id"].endswith("POST /payouts")]
assert ep and ep[0]["security_omitted"] is True and ep[0]["security_peers"] == "6 of 8", ep
PY
exit 0
