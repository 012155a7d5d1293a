# A hostNetwork DaemonSet with hostPort 80/443 (ingress-nginx's bare-metal install) was "nothing
# reachable from the internet", though a NodePort on the same pods was an entry point: a hostPort,
# or a container port of a hostNetwork pod, is the node's own address and is now routed from the
# internet as a NodePort is. The certificate cert-manager issues into a Secret is a TLS Secret, so a
# frontend reading its own serving certificate is no attack path (TM-PATH-001) to "a secret".
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
r = {e["to"]: e for e in d["model"]["edges"] if e["from"] == "entrypoint:internet" and e["kind"] == "routes"}
c = r.get("service:ingress-nginx/ingress-nginx-controller")
assert c and c.get("via") == "hostPort" and sorted(c.get("ports", [])) == ["443", "80"], r
assert "service:secure/frontend" in r, r
assert d["exposure"].get("service:ingress-nginx/ingress-nginx-controller") == "internet", d["exposure"].get("service:ingress-nginx/ingress-nginx-controller")
s = [n for n in d["model"]["nodes"] if n["id"] == "secret:k8s:secure/frontend-tls"]
assert s and s[0].get("secret_type") == "kubernetes.io/tls", s
assert not [f for f in d["findings"] if f["rule"] == "TM-PATH-001"], [f["title"] for f in d["findings"] if f["rule"] == "TM-PATH-001"]
PY
exit 0
