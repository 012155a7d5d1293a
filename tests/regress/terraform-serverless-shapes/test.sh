# Shapes a review of the Lambda and API Gateway reader found wrong: an authorization a variable
# without a default gives was read as anonymous (a critical TM-API-001); one module called twice made
# one function of two; $default and ANY /{proxy+} to one function left the endpoint the check of
# whichever came last; an HTTP API created quickly (its own target) routed nothing; any policy whose
# name holds AdministratorAccess (AdministratorAccess-Amplify) was full admin; and a role-to-assume ARN
# whose account id a secret gives lost its role name.
. "$(dirname "$0")/../lib.sh"
scan() { run_bounded 60 "$TRUSTMAP" scan "$CASE/$1" --format json --no-store --no-cache; expect_exit 0 1; }
check() { python3 -c "$1" "$WORK/out" || fail "$2"; }
scan unknown-auth
check 'import json,sys
d=json.load(open(sys.argv[1]))
eps={n["id"]:n for n in d["model"]["nodes"] if n["kind"]=="endpoint"}
assert eps and all(e["authn"]=="unknown" and e["anonymous"] is False for e in eps.values()), eps
assert not [f for f in d["findings"] if f["rule"]=="TM-API-001"], "anonymous read into an unknown value"' "unknown authorization"
scan module-twice
check 'import json,sys
d=json.load(open(sys.argv[1]))
fns=sorted(n["id"] for n in d["model"]["nodes"] if n["id"].startswith("service:lambda:"))
assert fns==["service:lambda:aws/module.a.aws_lambda_function.this","service:lambda:aws/module.b.aws_lambda_function.this"], fns' "one module called twice"
scan two-routes
check 'import json,sys
d=json.load(open(sys.argv[1]))
eps=[n for n in d["model"]["nodes"] if n["kind"]=="endpoint"]
assert len(eps)==1 and eps[0]["anonymous"] is True and eps[0]["authn"]=="none", eps' "two routes to one operation"
scan quick-create
check 'import json,sys
d=json.load(open(sys.argv[1]))
assert d["exposure"].get("service:lambda:aws/fn")=="internet", d["exposure"]
assert any(n["id"]=="endpoint:lambda:aws/fn/ANY /" and n["anonymous"] is True for n in d["model"]["nodes"])' "quick create"
scan admin-amplify
check 'import json,sys
d=json.load(open(sys.argv[1]))
assert not [f for f in d["findings"] if f["rule"]=="TM-CLOUD-002"], [f["title"] for f in d["findings"]]' "AdministratorAccess-Amplify"
scan account-variable
check 'import json,sys
d=json.load(open(sys.argv[1]))
e=[x for x in d["model"]["edges"] if x["kind"]=="deploys"]
assert len(e)==1 and e[0]["to"]=="identity:aws:github-deploy" and "assumed" not in e[0], e' "role ARN with an account variable"
exit 0
