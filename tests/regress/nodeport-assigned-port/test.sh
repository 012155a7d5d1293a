# A NodePort Service without a nodePort (the usual way: the cluster assigns one) opened no port in
# the model; beside a LoadBalancer to the same pods, `query can internet shop/api:9000` said the
# load balancer "opens 80->8080 only" (Emissary's admin port 8877 on the ambassador-admin NodePort,
# Kong/KIC examples). The assigned port is now the node port range, 30000-32767->9000.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can internet shop/api:9000 "$CASE/in" --no-cache
expect_exit 0
grep -q "ALLOW" "$WORK/out" || fail "the NodePort's assigned port is not open: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = [e for e in d["model"]["edges"] if e["from"] == "entrypoint:internet" and e["to"] == "service:shop/api"]
assert e, d["model"]["edges"]
tp = e[0].get("target_ports", [])
assert "30000-32767->9000" in tp and "80->8080" in tp, e[0]
PY
exit 0
