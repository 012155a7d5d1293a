#!/usr/bin/env bash
# go-coffeeshop trial: a calls edge's address kept a libpq keyword string's and a JDBC query's
# password in clear in the JSON and OTM reports (host=db user=app password=S3cretPw ...,
# jdbc:mysql://mysql:3306/app?user=app&password=S3cretPw), and JDBC_URL was no TM-SEC-001; a URL
# whose password holds '@' (postgres://postgres:P@ssw0rd@postgres:5432) lost its call silently.
. "$(dirname "$0")/../lib.sh"
for f in json otm md sarif html; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/forms" --format $f --no-store --no-cache
  expect_exit 0 1
  if grep -q "S3cretPw" "$WORK/out"; then fail "the password is in the $f report"; fi
done
run_bounded 60 "$TRUSTMAP" scan "$CASE/forms" --format json --no-store --no-cache
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
a = sorted(x for e in d["model"]["edges"] if e["kind"] == "calls" for x in e.get("address", []))
assert "host=db user=app password=*** dbname=app sslmode=disable" in a, a
assert "jdbc:mysql://mysql:3306/app?user=app&password=***" in a, a
t = [x["title"] for f in d["findings"] if f["rule"] == "TM-SEC-001" for x in f.get("affected", [f])]
assert any("JDBC_URL" in x for x in t), t
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/at-sign" --format json --no-store --no-cache
expect_exit 0 1
if grep -q "ssw0rd" "$WORK/out"; then fail "the password is in the report"; fi
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
c = {(e["from"].split("/")[-1], e["to"].split("/")[-1]) for e in d["model"]["edges"] if e["kind"] == "calls"}
assert ("counter", "postgres") in c and ("counter", "rabbitmq") in c, c
PY
# review: a value ends where its kind of string ends: Password=P&ssw0rd; (a connection string),
# "my secret", a quoted "x;y" or 'q r', spaces around '=', '#' or '@' in a URL's password
run_bounded 60 "$TRUSTMAP" scan "$CASE/separators" --format json --no-store --no-cache
expect_exit 0 1
for leak in 'ssw0rd' 'secret;' 'x;y' 'q r' 'hunter2' 'pa#ss' 'p@ss' 'x1&' 'S3cretPw'; do
  if grep -qF "$leak" "$WORK/out"; then fail "left in clear: $leak"; fi
done
exit 0
