# A LoadBalancer limited by loadBalancerSourceRanges to 10.10.10.0/24 read "Internet -> via
# LoadBalancer" in the Markdown entry points, the range nowhere, while the services table said
# "cluster": the two read as a contradiction. The entry's row says whom the allow-list admits.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
grep -q 'via `LoadBalancer` ports `80` only from `loadBalancerSourceRanges at app.yaml:[0-9]* (10.10.10.0/24)`' "$WORK/out" \
  || { grep -n "LoadBalancer" "$WORK/out" >&2; fail "expected the allow-list on the entry row"; }
exit 0
