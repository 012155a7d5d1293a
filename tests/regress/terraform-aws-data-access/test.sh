# A Lambda's role policy that reads and writes DynamoDB tables, an S3 bucket, an SQS queue and a
# Secrets Manager secret drew no edge at all (only "Action * on *" was read), so a function URL open
# to the internet led nowhere: the paths and the blast radius stopped at the role. Each Allow
# statement now joins the stores it names (ARNs, references, patterns; AWS's managed policies by
# name) with reads or writes edges; Deny, NotAction and metadata-only actions grant nothing here.
# A cloud role is not blamed for secrets "its workloads do not use" (it reads them through the API).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = {(x["from"], x["kind"], x["to"]) for x in d["model"]["edges"]}
role = "identity:aws:orders-lambda"
want = {
    (role, "writes", "datastore:aws:dynamodb:orders"),
    (role, "reads", "datastore:aws:dynamodb:audit-log"),
    (role, "reads", "datastore:aws:s3:shop-uploads"),
    (role, "writes", "queue:aws:sqs:jobs"),
    (role, "reads", "secret:aws:secretsmanager:prod/db-password"),
    ("identity:aws:reporting", "reads", "datastore:aws:dynamodb:orders"),
    ("identity:aws:reporting", "reads", "datastore:aws:dynamodb:audit-log"),
    ("identity:aws:cleanup", "writes", "datastore:aws:s3:shop-uploads"),
}
assert want <= e, sorted(want - e)
cleanup = {x for x in e if x[0] == "identity:aws:cleanup"}
assert cleanup == {("identity:aws:cleanup", "writes", "datastore:aws:s3:shop-uploads")}, cleanup
via = [x.get("via", "") for x in d["model"]["edges"] if x["to"] == "datastore:aws:dynamodb:orders" and x["from"] == role]
assert via and "dynamodb:PutItem" in via[0], via
rules = {f["rule"] for f in d["findings"]}
assert "TM-SEC-005" not in rules, rules
paths = [f for f in d["findings"] if f["rule"] == "TM-PATH-001"]
assert any("prod/db-password" in f["title"] for f in paths), [f["title"] for f in paths]
PY
exit 0
