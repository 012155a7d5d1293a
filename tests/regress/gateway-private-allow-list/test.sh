# An allow-list of private ranges (nginx `allow 10.0.0.0/8; deny all;`, ingress-nginx's
# whitelist-source-range, an OpenShift router's ip_whitelist, an ALB's inbound-cidrs, Kong's
# ip-restriction allow, Traefik's ipAllowList in labels, files and Middleware objects) was listed
# and not weighed: the operation behind it was "reachable from the internet" and `query can
# internet` allowed it. Now a route whose allow-list admits private ranges only takes no internet
# client: the query denies it, saying which allow-list, and the operation is reached from the
# private network (its clients), not the internet. An allow-list that admits a public range
# changes nothing.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" query can internet compose:default/admin "$CASE/in"
head -c 14 "$WORK/out" | grep -q "DENY (blocked)" || fail "internet -> admin: $(head -3 "$WORK/out")"
grep -q "only from private source ranges (allow 10.0.0.0/8 at nginx.conf:6)" "$WORK/out" || fail "the step: $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can internet compose:default/partner "$CASE/in"
head -c 5 "$WORK/out" | grep -q ALLOW || fail "internet -> partner (a public range): $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can internet compose:default/reports "$CASE/in"
head -c 14 "$WORK/out" | grep -q "DENY (blocked)" || fail "internet -> reports (Kong ip-restriction, private): $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can internet compose:default/status "$CASE/in"
head -c 5 "$WORK/out" | grep -q ALLOW || fail "internet -> status (Kong ip-restriction with a public address): $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can internet compose:default/backoffice "$CASE/in"
head -c 14 "$WORK/out" | grep -q "DENY (blocked)" || fail "internet -> backoffice (Traefik label sourcerange, private): $(head -3 "$WORK/out")"
grep -q "source ranges 10.0.0.0/8,172.16.0.0/12" "$WORK/out" || fail "the label's ranges: $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can internet compose:default/billing "$CASE/in"
head -c 14 "$WORK/out" | grep -q "DENY (blocked)" || fail "internet -> billing (Traefik file ipAllowList, private): $(head -3 "$WORK/out")"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
t = sorted(f["title"] for f in d["findings"] if f["rule"] == "TM-API-001")
assert t == ["POST /admin/items needs no credentials and is reachable from outside (its clients)",
             "POST /partner/items needs no credentials and is reachable from the internet"], t
e = {(x["from"], x["to"]): x for x in d["model"]["edges"]}
assert e[("gateway:nginx:nginx.conf", "service:compose:default/admin")].get("private_sources_only") is True
assert "private_sources_only" not in e[("gateway:nginx:nginx.conf", "service:compose:default/partner")]
assert d["exposure"]["service:compose:default/admin"] != "internet", d["exposure"]["service:compose:default/admin"]
PY
exit 0
