# Istio's injection was misread in two ways (istio analyzer fixture testdata/injection.yaml): a pod
# whose sidecar.istio.io/inject label says "false" and whose older annotation says "true" was taken
# as injected (the label wins in Istio), and a pod on the host's network (hostNetwork: true), which
# Istio never injects, was taken as injected in an injection-enabled namespace. Both then passed a
# STRICT PeerAuthentication that rejects their plaintext.
. "$(dirname "$0")/../lib.sh"
for src in optout hostnet; do
  run_bounded 60 "$TRUSTMAP" query can "shop/$src" shop/client "$CASE/in"
  head -c 4 "$WORK/out" | grep -q DENY || fail "shop/$src -> shop/client under STRICT mTLS: $(head -3 "$WORK/out")"
done
grep -q "hostNetwork" "$WORK/out" || fail "the host network is not the reason given: $(head -3 "$WORK/out")"
# an injected pod still passes: the check is on the sender, not on every call
run_bounded 60 "$TRUSTMAP" query can shop/client shop/client "$CASE/in"
head -c 5 "$WORK/out" | grep -q ALLOW || fail "shop/client -> shop/client: $(head -3 "$WORK/out")"
exit 0
