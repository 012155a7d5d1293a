# Shapes a review of the Lambda and API Gateway reader found wrong: an authorization a variable
# without a default gives was read as anonymous (a critical TM-API-001); one module called twice made
# one function of two; $default and ANY /{proxy+} to one function left one endpoint with the check of
# whichever came last (they are two operations, each with its own check, and the gateway's route to
# the function carries the weaker); an HTTP API created quickly (its own target) routed nothing; any policy whose
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
eps={n["name"]:n for n in d["model"]["nodes"] if n["kind"]=="endpoint"}
assert eps["ANY /*"]["anonymous"] is True and eps["ANY /{proxy+}"]["authn"]=="jwt", eps
e=[x for x in d["model"]["edges"] if x["kind"]=="routes" and x["from"].startswith("gateway:")]
assert len(e)==1 and e[0]["authn"]=="none", e' "two routes to one function"
scan quick-create
check 'import json,sys
d=json.load(open(sys.argv[1]))
assert d["exposure"].get("service:lambda:aws/fn")=="internet", d["exposure"]
assert any(n["id"]=="endpoint:lambda:aws/fn/ANY /*" and n["anonymous"] is True for n in d["model"]["nodes"])' "quick create"
scan admin-amplify
check 'import json,sys
d=json.load(open(sys.argv[1]))
assert not [f for f in d["findings"] if f["rule"]=="TM-CLOUD-002"], [f["title"] for f in d["findings"]]' "AdministratorAccess-Amplify"
scan account-variable
check 'import json,sys
d=json.load(open(sys.argv[1]))
e=[x for x in d["model"]["edges"] if x["kind"]=="deploys"]
assert len(e)==1 and e[0]["to"]=="identity:aws:github-deploy" and "assumed" not in e[0], e' "role ARN with an account variable"
# an output of a local module: the function a route or a function URL names through it
scan module-outputs
check 'import json,sys
d=json.load(open(sys.argv[1]))
ep=[n for n in d["model"]["nodes"] if n["kind"]=="endpoint"]
assert [n["id"] for n in ep]==["endpoint:lambda:aws/module.fn.aws_lambda_function.this/DELETE /orders/{id}"], ep
assert [f for f in d["findings"] if f["rule"]=="TM-API-001"], "no TM-API-001"' "module outputs"
scan function-url-module
check 'import json,sys
d=json.load(open(sys.argv[1]))
assert any(n["kind"]=="endpoint" and n["anonymous"] is True for n in d["model"]["nodes"]), "the function URL through a module output was lost"' "function URL through a module"
exit 0
