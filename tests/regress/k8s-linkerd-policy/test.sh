# Linkerd was not read: its proxies' mutual TLS, its Servers and the authorizations of them, and the
# default inbound policy its annotations set were unknown to the evaluator, so every call to a meshed
# pod was allowed as if no policy existed (blast radius, chained reachability and who-can-call read
# the evaluator). Now a pod's proxy (linkerd.io/inject on the pod or its namespace), a Server on its
# port, AuthorizationPolicy (MeshTLSAuthentication, NetworkAuthentication, ServiceAccount, an
# HTTPRoute's read as its Server's), ServerAuthorization, the Server's accessPolicy, the default
# inbound policy (pod, namespace, else the control plane's, assumed) and skip-inbound-ports decide.
# Dangling references, an unknown policy name and a Server without a valid port are said. What the
# files do not show (a client's namespace, a pod's injection, the controller behind an Ingress) makes
# a verdict unknown, not a denial.
. "$(dirname "$0")/../lib.sh"
q() { # source destination: the verdict's allowed and deciding policy, as JSON
  "$TRUSTMAP" query can "$1" "$2" "$CASE/in" --no-store --no-cache --format json 2>/dev/null |
    python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["allowed"], v["outcome"], (v.get("decided_by") or {}).get("policy"))'
}
expect_verdict() { # source destination expected
  got=$(q "$1" "$2")
  [ "$got" = "$3" ] || fail "$1 -> $2: '$got', expected '$3'"
}
# MeshTLSAuthentication of one service account: web is admitted, stats (meshed, another identity) is not
expect_verdict emojivoto/web emojivoto/emoji-svc "True 200 AuthorizationPolicy emojivoto/emoji-grpc"
expect_verdict emojivoto/stats emojivoto/emoji-svc "False 403 Server emojivoto/emoji-grpc"
# ServerAuthorization by Server label and identity
expect_verdict emojivoto/web emojivoto/voting-svc "True 200 ServerAuthorization emojivoto/voting-grpc"
expect_verdict emojivoto/stats emojivoto/voting-svc "False 403 Server emojivoto/voting-grpc"
# an empty requiredAuthenticationRefs admits an unmeshed client
expect_verdict emojivoto/vote-bot emojivoto/web-svc "True 200 AuthorizationPolicy emojivoto/web-public"
# no Server: the pod's default inbound policy all-authenticated needs a meshed client
expect_verdict emojivoto/vote-bot emojivoto/admin-svc "False 403 pod emojivoto/admin's annotation"
expect_verdict emojivoto/stats emojivoto/admin-svc "True 200 pod emojivoto/admin's annotation"
# NetworkAuthentication of a private /8: pods assumed in it; the dangling policy authorizes nothing
expect_verdict emojivoto/web locked/vault:8300 "True 200 AuthorizationPolicy locked/vault-from-cluster"
# a port left around the proxy: no Linkerd policy there
expect_verdict emojivoto/web locked/vault:8200 "True 200 None"
# through an Ingress, the controller's pods (not scanned) connect: an authorization naming mesh
# identities cannot be decided; one admitting the cluster's network admits them
expect_verdict internet emojivoto/emoji-svc "False unknown Server emojivoto/emoji-grpc"
expect_verdict internet locked/vault:8300 "True 200 AuthorizationPolicy locked/vault-from-cluster"
# identity patterns: every service account of one namespace
expect_verdict emojivoto/web team/ledger-svc "False 403 Server team/ledger-http"
expect_verdict team/audit team/ledger-svc "True 200 AuthorizationPolicy team/ledger-team"
# every required authentication must hold: web is not also stats
expect_verdict emojivoto/web team/audit-svc "False 403 Server team/audit-http"
# a pod on the host's network has no proxy; Linkerd's own ports are left around it
expect_verdict emojivoto/stats team/hostnet-svc "True 200 None"
expect_verdict emojivoto/web team/ledger-svc:4567 "True 200 None"
# a client whose namespace was not scanned, refused meshed or not (its identity is not team's): denied
expect_verdict outside/reporter team/ledger-svc "False 403 Server team/ledger-http"
# a server meshed only by assumption: unknown, not denied
expect_verdict emojivoto/web plain/legacy-svc "False unknown Server plain/legacy-http"
# web-http has a route (/metrics): a request it does not take is 404, one it takes is authorized
got=$("$TRUSTMAP" query can emojivoto/stats emojivoto/web-svc --path /admin "$CASE/in" --no-store --no-cache --format json 2>/dev/null |
  python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["allowed"], v["outcome"])')
[ "$got" = "False 404" ] || fail "stats -> web-svc /admin: '$got', expected 'False 404'"
# who-can-call reads the same evaluator: only web calls emoji
run_bounded 60 "$TRUSTMAP" query who-can-call emojivoto/emoji-svc "$CASE/in" --no-store --no-cache
expect_exit 0
grep -q '^1 of 12 sources can call service:emojivoto/emoji' "$WORK/out" || fail "who-can-call: $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
msgs = [m["message"] for m in d["diagnostics"]]
pols = {(p["kind"], p["namespace"], p["name"]) for p in d["policies"]}
assert ("Server", "emojivoto", "emoji-grpc") in pols and ("ServerAuthorization", "emojivoto", "voting-grpc") in pols, pols
assert ("AuthorizationPolicy", "locked", "vault-dangling") not in pols, pols  # authorizes nothing
assert any("requires MeshTLSAuthentication locked/nobody-wrote-this, which is not in the scanned files" in m for m in msgs), msgs
assert not any("read wider than Linkerd enforces it" in m for m in msgs), msgs  # routes are matched now
assert any("Server emojivoto/bad-port has no valid port" in m for m in msgs), msgs
assert any("'allow-all' is no policy Linkerd knows" in m for m in msgs), msgs
# the namespace whose proxies deny by default has a default deny; emojivoto has none
mesh6 = [f for f in d["findings"] if f["rule"] == "TM-MESH-006"]
assert len(mesh6) == 1 and mesh6[0]["title"].startswith("4 namespaces"), mesh6
assert not any(p.startswith("service:locked/") for p in mesh6[0]["path"]), mesh6[0]["path"]
# a port left around the proxy where its namespace denies by default: TM-MESH-011
mesh11 = [f["title"] for f in d["findings"] if f["rule"] == "TM-MESH-011"]
assert len(mesh11) == 1 and mesh11[0].startswith("service:locked/vault: port 8200 (Service vault port 8200) is left "
                                                  "around its Linkerd proxy"), mesh11
assert "so the default inbound policy deny does not apply there" in mesh11[0], mesh11
PY
# a diff that admits one more identity through the MeshTLSAuthentication is a changed authorization
cp -r "$CASE/in" "$WORK/head"
sed -i 's/    - {kind: ServiceAccount, name: web}/    - {kind: ServiceAccount, name: web}\n    - {kind: ServiceAccount, name: stats}/' "$WORK/head/policy.yaml"
run_bounded 60 "$TRUSTMAP" diff "$CASE/in" "$WORK/head" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
texts = [c["text"] for c in d["changes"]]
assert "AuthorizationPolicy emojivoto/emoji-grpc changed" in texts, texts
PY
