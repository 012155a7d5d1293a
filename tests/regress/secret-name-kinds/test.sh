# Credential names and placeholder values (trial T5): a storage account's key (AZUREBLOB_ACCOUNT_KEY,
# STORAGE_ACCOUNT_KEY) written in a manifest was not a credential, while the obvious placeholder
# "mysastoken" was a high TM-SEC-001. Account keys are credentials now, and a token's or key's kind
# in lowercase after "my" is a placeholder.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
titles = " ".join(f["title"] + json.dumps(f.get("affected", [])) for f in d["findings"] if f["rule"] == "TM-SEC-001")
assert "AZUREBLOB_ACCOUNT_KEY" in titles and "STORAGE_ACCOUNT_KEY" in titles, titles
assert "AZUREBLOB_SAS_TOKEN" not in titles, titles
PY
exit 0
