# A VirtualService bound to a Gateway that serves none of its hosts (istioctl analyze's IST0132)
# was routed from the gateway all the same: service shop/admin (admin.example.com, a host the
# gateway does not serve) came out internet-exposed, and `query can internet shop/admin` allowed.
# Now the binding is dropped with a note; hosts the gateway serves (exact, or its "./*.domain"
# wildcard for its own namespace) still route.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "a gateway routes a host it does not serve (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
routed = {e["to"] for e in j["model"]["edges"] if e["from"] == "gateway:istio:shop/shop-gateway" and e["kind"] == "routes"}
bad = []
if "service:shop/admin" in routed:
    bad.append("admin.example.com is routed by a gateway that does not serve it")
for s in ("web", "api"):
    if "service:shop/" + s not in routed:
        bad.append("%s is not routed: %s" % (s, sorted(routed)))
if not any("serves none of its hosts" in d["message"] for d in j["diagnostics"]):
    bad.append("the unserved binding is not said")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
run_bounded 60 "$TRUSTMAP" query can internet shop/admin "$CASE/in"
head -c 4 "$WORK/out" | grep -q DENY || fail "the internet reaches shop/admin: $(head -3 "$WORK/out")"
exit 0
