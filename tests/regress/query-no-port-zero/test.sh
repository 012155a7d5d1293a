# A destination that declares no containerPort was answered "no rule admits default/xwing on port
# 0" (cilium's star-wars xwing, kubernetes/website's curlpod): port 0 is no port. The step says
# "on any port (the pod declares none)", or the Service's port when one is known.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can default/tiefighter default/xwing "$CASE/in" --no-store --no-cache
expect_exit 1
grep -q "port 0" "$WORK/out" && fail "still port 0: $(cat "$WORK/out")"
grep -q "no rule admits default/xwing on any port (the pod declares none)" "$WORK/out" || fail "$(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can default/xwing default/tiefighter "$CASE/in" --no-store --no-cache --format json
expect_exit 1
grep -q "port 0" "$WORK/out" && fail "still port 0: $(cat "$WORK/out")"
exit 0
