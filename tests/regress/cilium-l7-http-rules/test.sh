# Cilium's L7 HTTP rules (toPorts[].rules.http, cilium/cilium examples/minikube sw_l3_l4_l7_policy.yaml)
# were read wider than enforced: `query can tiefighter deathstar --method PUT --path
# /v1/exhaust-port` answered ALLOW (200) although only POST /v1/request-landing is admitted (Cilium's
# proxy answers 403). The request asked is matched against the rules (method and path as anchored
# regular expressions, headers); with none asked, the answer is for "any request"; a header value
# kept in a Secret leaves the verdict unknown; who-can-call agrees.
. "$(dirname "$0")/../lib.sh"
q() { run_bounded 60 "$TRUSTMAP" query "$@" "$CASE/in" --no-store --no-cache --format json; }
q can default/tiefighter default/deathstar --method PUT --path /v1/exhaust-port
expect_exit 1
python3 - "$WORK/out" <<'PY' || fail "PUT /v1/exhaust-port: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert not d["allowed"] and not d["unknown"] and d["outcome"] == "403", (d["allowed"], d["unknown"], d["outcome"])
assert d["decided_by"]["policy"] == "CiliumNetworkPolicy default/rule1", d["decided_by"]
assert "POST /v1/request-landing only" in d["reason"] and "PUT /v1/exhaust-port" in d["reason"], d["reason"]
PY
q can default/tiefighter default/deathstar --method POST --path /v1/request-landing
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "POST /v1/request-landing: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["allowed"] and d["outcome"] == "200" and "http rule 1" in d["reason"], d["reason"]
PY
q can default/tiefighter default/deathstar
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "no request asked: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["allowed"] and d["evaluated"] == "any request", (d["allowed"], d.get("evaluated"))
PY
# the peer the rule does not name is still blocked before any request
q can default/xwing default/deathstar --method POST --path /v1/request-landing
expect_exit 1
grep -q '"outcome": *"blocked"' "$WORK/out" || fail "xwing: $(cat "$WORK/out")"
q who-can-call default/deathstar --method PUT --path /v1/exhaust-port
expect_exit 0
grep -q "tiefighter" "$WORK/out" && fail "who-can-call PUT lists tiefighter: $(cat "$WORK/out")"
q who-can-call default/deathstar --method POST --path /v1/request-landing
expect_exit 0
grep -q "service:default/tiefighter" "$WORK/out" || fail "who-can-call POST misses tiefighter: $(cat "$WORK/out")"
# a header value held in a Secret cannot be told: unknown, said; a plain header is evaluated
q can default/tiefighter default/vault --method GET --path /v1/secret/db
expect_exit 1
python3 - "$WORK/out" <<'PY' || fail "secret header: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["unknown"] and not d["allowed"] and "secret" in d["reason"], (d["unknown"], d["reason"])
PY
q can default/tiefighter default/vault --method HEAD --path /healthz --header "X-Probe: true"
expect_exit 0
q can default/tiefighter default/vault --method HEAD --path /healthz
expect_exit 1
grep -q '"outcome": *"403"' "$WORK/out" || fail "no header: $(cat "$WORK/out")"
exit 0
