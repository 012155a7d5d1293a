# config-domain's label selectors were ignored: every Knative Service was published on the ConfigMap's
# default domain, so one whose labels pick svc.cluster.local (knative/serving's documented way to keep
# Services inside the cluster) was reported internet-facing, with the default domain's line as
# evidence. Each Service now takes the domain Knative gives its labels (the matching selector of most
# labels; an empty value matches every Service), and a cluster-local domain keeps it off the internet
# with its key's line; a value that is not YAML with a selector map is a warning and is not used.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/ok" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = {(x["from"], x["to"]): x for x in d["model"]["edges"]}
n = {x["id"]: x for x in d["model"]["nodes"]}
assert ("entrypoint:internet", "gateway:default/vault-proxy") not in e, "vault-proxy is cluster-local"
vis = json.dumps(n["service:default/vault-proxy"])
assert "svc.cluster.local" in vis and '"line": 8' in vis, vis
assert e[("entrypoint:internet", "gateway:default/www")]["evidence"][0]["line"] == 7
assert n["gateway:default/www"]["hosts"] == ["www.default.example.com"]
# two labels beat one: shop is published on shop.example.net
assert e[("entrypoint:internet", "gateway:default/shop")]["evidence"][0]["line"] == 11
assert n["gateway:default/shop"]["hosts"] == ["shop.default.shop.example.net"]
assert d["exposure"]["service:default/vault-proxy"] != "internet"
PY
run_bounded 60 "$TRUSTMAP" query can internet default/vault-proxy "$CASE/in/ok" --no-store --no-cache
expect_exit 1
grep -q "^DENY" "$WORK/out" || fail "internet -> vault-proxy: $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/bad" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
msgs = [(x["severity"], x["line"], x["message"]) for x in d["diagnostics"]]
assert any(s == "warning" and l == 7 and "svc.cluster.local" in m and "selector" in m for s, l, m in msgs), msgs
e = {(x["from"], x["to"]) for x in d["model"]["edges"]}
assert ("entrypoint:internet", "gateway:default/vault-proxy") in e, "the unusable entry is not used"
PY
exit 0
