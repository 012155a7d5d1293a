# diff underplayed loosening of Linkerd policy, unlike the same change in Istio (an
# AuthorizationPolicy's principals -> "*" is "was loosened", deep-dive): a ServerAuthorization
# changed to `unauthenticated: true` was "changed" (design-review) with no answer to what it now
# admits; an AuthorizationPolicy moved to a NetworkAuthentication of 0.0.0.0/0 the same; a
# namespace's or pod's default-inbound-policy loosened, and a pod opting out of the proxy while a
# Server selects it, were no change at all, and a scan said nothing of a Server selecting a pod
# without the proxy. Now each is a loosened control (deep-dive) naming what it now admits, and the
# scan's TM-MESH-011 reports the Server that is not enforced.
. "$(dirname "$0")/../lib.sh"
variant() { # name sed-script file: a copy of in/ with one file edited
  cp -r "$CASE/in" "$WORK/$1"
  sed -i "$2" "$WORK/$1/$3"
  cmp -s "$CASE/in/$3" "$WORK/$1/$3" && fail "variant $1: the edit changed nothing"
  return 0
}
changes() { # variant: review depth, then each change's trigger and text
  run_bounded 60 "$TRUSTMAP" diff "$CASE/in" "$WORK/$1" --format json --no-store --no-cache
  expect_exit 0 1
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["review_depth"]); [print(c["trigger"], c["text"]) for c in d["changes"]]; [print("agenda", a["answer"]) for a in d["agenda"]]' "$WORK/out"
}
expect_in() { # text haystack
  case "$2" in *"$1"*) ;; *) fail "'$1' not in: $2" ;; esac
}
variant a 's/    meshTLS:/    unauthenticated: true/; /serviceAccounts: \[{name: issuer}\]/d' policy.yaml
out=$(changes a)
expect_in "deep-dive" "$out"
expect_in "removed ServerAuthorization vault/keys-issuer was loosened: it now admits every client, meshed or not (unauthenticated)" "$out"
expect_in "agenda it now admits every client, meshed or not (unauthenticated) on Server vault/keys-http" "$out"
variant b 's/name: issuer-id}/name: all-nets}/; s/kind: MeshTLSAuthentication, name: all-nets/kind: NetworkAuthentication, name: all-nets/' policy.yaml
out=$(changes b)
expect_in "removed AuthorizationPolicy vault/keys-issuer-v2 was loosened: it now admits every client, meshed or not, from any address" "$out"
variant c 's/default-inbound-policy: deny/default-inbound-policy: all-unauthenticated/' apps.yaml
out=$(changes c)
expect_in "deep-dive" "$out"
expect_in "removed namespace vault's default inbound policy (config.linkerd.io/default-inbound-policy) was loosened: deny -> all-unauthenticated" "$out"
variant d 's/default-inbound-policy: cluster-authenticated/default-inbound-policy: cluster-unauthenticated/' apps.yaml
out=$(changes d)
expect_in "removed service:vault/signer's default inbound policy (config.linkerd.io/default-inbound-policy) was loosened: cluster-authenticated -> cluster-unauthenticated" "$out"
variant e 's/      labels: {app: keys}/      labels: {app: keys}\n      annotations: {linkerd.io\/inject: disabled}/' apps.yaml
out=$(changes e)
expect_in "deep-dive" "$out"
expect_in "removed service:vault/keys no longer runs linkerd's proxy: it opts out of the proxy (linkerd.io/inject: disabled), so Server vault/keys-http and its authorizations no longer protect it" "$out"
# tightening is no loosening: the reverse of c
run_bounded 60 "$TRUSTMAP" diff "$WORK/c" "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
grep -q "was loosened" "$WORK/out" && fail "deny again is no loosening: $(cat "$WORK/out")"
# the scan of e: the Server selects a pod without the proxy
run_bounded 60 "$TRUSTMAP" scan "$WORK/e" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
m11 = [f for f in d["findings"] if f["rule"] == "TM-MESH-011"]
assert len(m11) == 1, [f["title"] for f in d["findings"]]
t = m11[0]["title"]
assert t.startswith("service:vault/keys: runs without its Linkerd proxy (the pod says linkerd.io/inject: disabled) "
                    "while Server vault/keys-http selects it"), t
assert "port 8200 (Service keys port 8200)" in t and m11[0]["severity"] == "high", m11[0]
PY
exit 0
