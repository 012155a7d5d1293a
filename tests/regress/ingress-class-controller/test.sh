# An Ingress was taken as reached from the internet whatever its controller's exposure: ingress-nginx
# behind an internal load balancer still made the Ingress an internet entry (query said ALLOW), and
# the controller's own LoadBalancer was reported as a way "around the gateway" (TM-MESH-004). The
# controller of an Ingress's class (IngressClass.spec.controller, --controller-class,
# --ingress-class, the image's default class; the default IngressClass for an Ingress without one)
# now runs the gateway: the Ingress is reached as the controller is, and says so when it is exposed
# by nothing in the inputs.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/internal" --format json --no-store --no-cache
expect_exit 0 1
cp "$WORK/out" "$WORK/internal.json"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/public" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/internal.json" "$WORK/out" <<'PY' || fail "see above"
import json, sys
inner, pub = (json.load(open(p)) for p in sys.argv[1:3])
def edges(d): return {(e["from"], e["to"]): e for e in d["model"]["edges"]}
def node(d, i): return next(n for n in d["model"]["nodes"] if n["id"] == i)
e = edges(inner)
assert ("entrypoint:internet", "gateway:shop/web") not in e, "internal controller: no internet entry"
assert "aws-load-balancer-internal" in e[("entrypoint:partner:private-network", "gateway:shop/web")]["internal"]
assert ("service:ingress-nginx/ingress-nginx-controller", "gateway:shop/web") in e
assert inner["exposure"]["service:shop/web"] == "partner", inner["exposure"]["service:shop/web"]
assert node(inner, "gateway:shop/web")["hosted_by"] == ["service:ingress-nginx/ingress-nginx-controller"]
e = edges(pub)
# no class: the default IngressClass (public), whose controller is ingress-nginx by --ingress-class
shop = node(pub, "gateway:web/shop")
assert shop["hosted_by"] == ["service:ingress-nginx/ingress-nginx-controller"], shop
assert "assumed" not in shop, shop
assert ("entrypoint:internet", "gateway:web/shop") in e
# traefik by its image's default class, exposed by nothing: the assumption is stated
blog = node(pub, "gateway:web/blog")
assert blog["hosted_by"] == ["service:edge/traefik"] and "exposed by no LoadBalancer" in blog["assumed"], blog
mesh4 = [f for f in pub["findings"] + inner["findings"] if f["rule"] == "TM-MESH-004"]
assert not mesh4, [f["title"] for f in mesh4]
PY
# a controller's own route objects: Traefik's IngressRoute (a NodePort: the internet), NGINX Inc.'s
# VirtualServer (an internal load balancer: the private network)
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/crd" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = {(x["from"], x["to"]): x for x in d["model"]["edges"]}
assert ("service:traefik/traefik", "gateway:ingressroute:web/site") in e
assert ("entrypoint:internet", "gateway:ingressroute:web/site") in e
assert ("service:nginx-ingress/nginx-ingress", "gateway:virtualserver:web/admin") in e
assert ("entrypoint:internet", "gateway:virtualserver:web/admin") not in e
assert "azure-load-balancer-internal" in e[("entrypoint:partner:private-network", "gateway:virtualserver:web/admin")]["internal"]
assert d["exposure"]["gateway:virtualserver:web/admin"] == "partner", d["exposure"]
PY
run_bounded 60 "$TRUSTMAP" query can internet shop/web "$CASE/in/internal" --no-store --no-cache
expect_exit 1
grep -q "^DENY (unreachable)" "$WORK/out" || fail "internet -> shop/web through an internal controller: $(head -3 "$WORK/out")"
grep -q "aws-load-balancer-internal" "$WORK/out" || fail "the verdict names the internal load balancer"
exit 0
