#!/usr/bin/env bash
# eShopOnDapr trial: redis started with `--requirepass <literal>` (in args, in a `sh -c`-style
# string, in a compose command) set the store's authentication but the committed password was no
# finding; the same value in an env var is TM-SEC-001. A credential flag's literal value now is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/k8s" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = sorted(x["title"] for f in d["findings"] if f["rule"] == "TM-SEC-001" for x in f.get("affected", [f]))
assert len(t) == 2 and all("--requirepass" in x for x in t), t
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/compose" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = [x["title"] for f in d["findings"] if f["rule"] == "TM-SEC-001" for x in f.get("affected", [f])]
assert t == ["service:compose:default/cache: credential cache/--requirepass is written in docker-compose.yml"], t
PY
# review: the last word of a `sh -c` string is a flag too (`exec redis-server --requirepass=...`)
run_bounded 60 "$TRUSTMAP" scan "$CASE/shc" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = [x["title"] for f in d["findings"] if f["rule"] == "TM-SEC-001" for x in f.get("affected", [f])]
assert any(x.startswith("service:shop/r1: credential a/--requirepass") for x in t), t
PY
exit 0
