# Siemens-Healthineers/K2s (trial AJ): manifests/keycloak/oauth2-proxy.cfg was given to keycloak,
# the workload its directory is named after: keycloak "mounted" oauth2-proxy's client_secret and
# got its redis call. The file's own name says whose it is (oauth2-proxy*.cfg), and that wins over
# the directory's when a workload of that name exists.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
edges = {(e["from"], e["kind"], e["to"]) for e in d["model"]["edges"]}
cfg = "secret:config:gitea/oauth2-proxy.cfg"
assert ("service:devtools/oauth2-proxy", "mounts", cfg) in edges, sorted(e for e in edges if e[2] == cfg)
assert ("service:devtools/gitea", "mounts", cfg) not in edges, "gitea holds oauth2-proxy's secret"
assert ("service:devtools/oauth2-proxy", "calls", "service:devtools/sessions") in edges, sorted(e for e in edges if e[1] == "calls")
assert ("service:devtools/gitea", "calls", "service:devtools/sessions") not in edges, "gitea calls the session store"
PY
exit 0
