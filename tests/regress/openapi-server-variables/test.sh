# An OpenAPI 3 server URL with variables in its host (API Gateway's own export:
# https://{restapiId}.execute-api.<region>.amazonaws.com/{basePath}) was "no public server", so a public
# API was assumed reached by partners only. Each variable takes its default, as the Server Object says;
# a variable with no default leaves the host unknown (partner, as before).
. "$(dirname "$0")/../lib.sh"
spec() {
	cat >"$WORK/api/openapi.yaml" <<EOF
openapi: 3.0.1
info: {title: consent, version: "1"}
servers:
  - url: https://{restapiId}.execute-api.us-east-1.amazonaws.com/{basePath}
    variables:
      restapiId: {$1}
      basePath: {default: v1}
paths:
  /subscribers:
    post:
      responses: {"200": {description: ok}}
EOF
}
assumed() { python3 -c 'import json,sys; print([n.get("exposure_assumed") for n in json.load(open(sys.argv[1]))["model"]["nodes"] if n["kind"] == "service"][0])' "$WORK/out"; }
mkdir -p "$WORK/api"
spec 'default: abc123'
run_bounded 60 "$TRUSTMAP" scan "$WORK/api" --format json --no-store
expect_exit 0 1
[ "$(assumed)" = internet ] || fail "server variables' defaults not used: $(assumed)"
spec 'description: the API id'
run_bounded 60 "$TRUSTMAP" scan "$WORK/api" --format json --no-store
expect_exit 0 1
[ "$(assumed)" = partner ] || fail "a variable without a default made a host: $(assumed)"
exit 0
