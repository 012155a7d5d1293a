# envoyproxy/envoy's examples/ext_authz: the front proxy asks an external authorizer (an ext_authz
# filter whose gRPC service is the cluster `authz`) about every request, but nothing drew that call:
# the authorizer was an island, so whoever can reach it or take it over decides every request and
# no path said so. The gateway's workload now calls each ext_authz cluster's hosts (a calls edge,
# via the filter, at its line).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = [e for e in d["model"]["edges"] if e["kind"] == "calls" and e["to"].endswith("/authz")]
assert len(e) == 1, [(x["from"], x["to"], x["kind"]) for x in d["model"]["edges"]]
assert e[0]["from"].endswith("/front-envoy") and "ext_authz" in e[0]["via"], e[0]
assert e[0]["evidence"][0]["path"] == "envoy/envoy.yaml" and e[0]["evidence"][0]["line"] == 19, e[0]
PY
exit 0
