# Lambda functions and their API Gateway and function URL front doors were not modelled: a
# Terraform serverless system was "services 0 ... nothing reachable from the internet". A REST API's
# resources make the method paths (/orders/{id}), each method's authorization decides its endpoint's
# (NONE anonymous, AWS_IAM aws-iam), a function URL with authorization NONE is an anonymous route from
# the internet, a PRIVATE REST API has no internet route, a function runs as the role its `role` names
# (an ARN reference), and a workflow whose role-to-assume a secret names takes the only role the
# Terraform lets GitHub's OIDC tokens assume, said as an assumption.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/sys/.github/workflows"
cp "$(dirname "$0")/main.tf" "$WORK/sys/main.tf"
cat >"$WORK/sys/.github/workflows/deploy.yml" <<'EOF'
name: deploy
on:
  push:
    branches: [main]
permissions:
  id-token: write
  contents: read
jobs:
  apply:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502
        with:
          role-to-assume: ${{ secrets.DEPLOY_ROLE_ARN }}
          aws-region: us-east-1
EOF
run_bounded 60 "$TRUSTMAP" scan "$WORK/sys" --format json --no-store
expect_exit 0 1
python3 - "$WORK/out" <<'EOF' || fail "serverless model: see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
edges = {(e["from"], e["to"], e["kind"]): e for e in d["model"]["edges"]}
x = d["exposure"]
def need(cond, what):
    if not cond:
        print("regress:", what, file=sys.stderr)
        sys.exit(1)
get = nodes.get("endpoint:lambda:aws/orders/GET /orders/{id}")
need(get and get["anonymous"] is True and get["authn"] == "none", "GET /orders/{id}: anonymous endpoint from its method")
dele = nodes.get("endpoint:lambda:aws/orders/DELETE /orders/{id}")
need(dele and dele["anonymous"] is False and dele["authn"] == "aws-iam", "DELETE /orders/{id}: AWS_IAM")
need(x.get("service:lambda:aws/orders") == "internet", "the function behind the REST API is internet-exposed: %s" % x.get("service:lambda:aws/orders"))
need(x.get("endpoint:lambda:aws/report/ANY /") == "internet", "the function URL's endpoint is internet-exposed")
need(("entrypoint:internet", "service:lambda:aws/report", "routes") in edges, "function URL: a route from the internet")
need(("entrypoint:internet", "gateway:aws-apigateway:internal", "routes") not in edges, "a PRIVATE REST API has no internet route")
need(("service:lambda:aws/orders", "identity:aws:orders-lambda", "runs-as") in edges, "the function runs as its role")
dep = edges.get(("pipeline:.github/workflows/deploy.yml", "identity:aws:github-deploy", "deploys"))
need(dep and "assumed" in dep, "the workflow takes the only GitHub OIDC role, as an assumption")
need(not any("${{" in i for i in nodes), "no identity named after an expression")
EOF
exit 0
