# google_service_account_iam_member/_binding members of a workload identity pool (principalSet://
# .../workloadIdentityPools/POOL/*, attribute.repository_owner/OWNER, attribute.repository/OWNER/REPO)
# were dropped: only the GKE member was a trusted subject, and TM-CLOUD-001 never fired where its
# AWS twin (repo:owner/*) does.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
n = [x for x in d["model"]["nodes"] if x["id"] == "identity:gcp:pipeline"][0]
subs = n.get("trusted_subjects", [])
assert len(subs) == 4 and sum(s.startswith("principalSet://") for s in subs) == 3, subs
wild = " ".join(n.get("trust_wildcard", []))
assert "github/* (every identity of the pool)" in wild, wild
assert "attribute.repository_owner/acme (every repository" in wild, wild
f = [x for x in d["findings"] if x["rule"] == "TM-CLOUD-001"]
assert f and f[0]["severity"] == "critical", f
PY
exit 0
