# A container other than istio-proxy running as UID 1337 (the proxy's own: Istio's iptables rules let
# that UID's connections out around the sidecar; istioctl analyze IST0144) was read like any other:
# the query said its pod called a STRICT destination over mTLS with its identity, and no finding
# named it. Now the pod whose every container runs as 1337 sends plaintext without identity (a STRICT
# destination refuses it, and the step says why); one helper container at 1337 leaves the
# application's own calls through the sidecar; TM-MESH-009 names both pods, not the one whose init
# container runs as 1337 (Istio's documented workaround for init containers).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can shop/worker shop/api "$CASE/in"
head -c 12 "$WORK/out" | grep -q "DENY (reset)" || fail "worker's plaintext reached the STRICT api: $(head -3 "$WORK/out")"
grep -q "container worker of shop/worker runs as uid 1337" "$WORK/out" || fail "the step does not say why: $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can shop/batch shop/api "$CASE/in"
head -c 5 "$WORK/out" | grep -q ALLOW || fail "batch's application lost its sidecar: $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "TM-MESH-009"]
assert len(f) == 1, [x["title"] for x in f]
members = {a["node"]: a for a in f[0].get("affected", [])}
assert set(members) == {"service:shop/batch", "service:shop/worker"}, sorted(members)
assert f[0]["severity"] == "high", f[0]["severity"]
t = members["service:shop/worker"]["title"]
assert "UID 1337" in t and "namespace shop is labelled for injection" in t, t
assert members["service:shop/worker"]["evidence"]["line"] == 53, members["service:shop/worker"]["evidence"]
PY
exit 0
