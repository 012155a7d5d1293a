#!/usr/bin/env bash
# eShopOnDapr trial: TM-SEC-003 left ConnectionStrings__CatalogDB (Server=...;Password=Pass@word) and
# ORDERS_DB (postgres://app:...@orders-db) out as keys that "name a database": a value carrying a
# password proves a credential whatever its key names.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = sorted(x["title"].split("'")[1] for f in d["findings"] if f["rule"] == "TM-SEC-003" for x in f.get("affected", [f]))
assert t == ["ConnStr", "ConnectionStrings__CatalogDB", "ORDERS_DB"], t
PY
exit 0
