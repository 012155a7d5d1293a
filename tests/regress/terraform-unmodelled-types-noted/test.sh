# aks-store-demo: its Terraform's Cosmos DB account and key vault produced no node and no word, while
# the inputs table said the files were modelled. The resources of types no reader handles are counted
# in one note, at the first of them.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
notes = [g for g in d["diagnostics"] if "Terraform resource" in g["message"]]
assert len(notes) == 1, d["diagnostics"]
m = notes[0]["message"]
assert m.startswith("3 Terraform resources of 2 types this version does not model: azurerm_cosmosdb_account (1), azurerm_key_vault_secret (2)"), m
assert notes[0]["path"] == "main.tf" and notes[0]["line"] == 9, notes[0]
PY
