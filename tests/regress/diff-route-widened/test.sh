# `trustmap diff` ignored a widened route: an nginx `location ~ ^(/_matrix|/_synapse/client)` to a
# Synapse widened to `^(/_matrix|/_synapse/)` (or replaced by `location /`) lets the internet at
# /_synapse/admin (`query can internet ... --path /_synapse/admin/v1/register` goes from DENY 404
# to ALLOW 200), yet the review said "Review depth: none - the change leaves the model as it was":
# the gateway, the backend and the routes edge between them are the same on both sides, only the
# edge's match changed. Now a change of a route's match is a change row with the route's evidence:
# new-public-endpoint when the route takes what it did not on a gateway the internet reaches,
# changed (lightning) when it only narrows; a comment in the file is still no change.
. "$(dirname "$0")/../lib.sh"
check() { # DIR TRIGGER DEPTH LINE
  run_bounded 60 "$TRUSTMAP" diff "$CASE/$1/base" "$CASE/$1/head" --no-store --no-cache --format json
  expect_exit 0
  python3 - "$WORK/out" "$2" "$3" "$4" <<'PY' || fail "$1: see above"
import json, sys
d = json.load(open(sys.argv[1]))
trigger, depth, line = sys.argv[2], sys.argv[3], int(sys.argv[4])
assert d["review_depth"] == depth, (d["review_depth"], d["review_reason"])
rows = [c for c in d["changes"] if "route gateway:nginx:proxy/homeserver.conf" in c["text"]]
assert len(rows) == 1, d["changes"]
c = rows[0]
assert c["trigger"] == trigger, c
assert c["node"] == "service:compose:chat/homeserver", c
assert c["evidence"][0]["path"] == "proxy/homeserver.conf" and c["evidence"][0]["line"] == line, c
assert "now matches" in c["text"] and "(was paths" in c["text"], c
PY
}
check . new-public-endpoint design-review 9
check rootwide new-public-endpoint design-review 9
check narrowed changed lightning 8
# the query agrees with the widened side
run_bounded 60 "$TRUSTMAP" query can internet compose:chat/homeserver --method POST \
  --path /_synapse/admin/v1/register "$CASE/head"
expect_exit 0 1
grep -q '^ALLOW' "$WORK/out" || fail "head: query did not allow /_synapse/admin: $(cat "$WORK/out")"
# a comment is no change
run_bounded 60 "$TRUSTMAP" diff "$CASE/same/base" "$CASE/same/head" --no-store --no-cache --format json
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "same: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["review_depth"] == "none" and d["changes"] == [], (d["review_depth"], d["changes"])
PY
# hostile: an Ingress of 20,000 hostnames to one backend gains one; the hosts are looked up, not
# compared pairwise, and the row names a few of them and counts the rest
python3 - "$WORK/many" <<'PY'
import os, sys
rule = ("  - host: {h}\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n"
        "        backend:\n          service:\n            name: web\n            port:\n              number: 80\n")
rest = """---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.27", ports: [{containerPort: 8080}]}]}
"""
for side, extra in (("base", []), ("head", ["extra.example.org"])):
    os.makedirs(os.path.join(sys.argv[1], side))
    hosts = ["h%d.example.org" % i for i in range(20000)] + extra
    with open(os.path.join(sys.argv[1], side, "ingress.yaml"), "w") as f:
        f.write("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: many, namespace: shop}\n"
                "spec:\n  ingressClassName: nginx\n  rules:\n" + "".join(rule.format(h=h) for h in hosts) + rest)
PY
run_bounded 90 "$TRUSTMAP" diff "$WORK/many/base" "$WORK/many/head" --no-store --no-cache --format json
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "many hosts: see above"
import json, sys
d = json.load(open(sys.argv[1]))
rows = [c for c in d["changes"] if c["text"].startswith("the route gateway:shop/many -> service:shop/web now matches")]
assert len(rows) == 1 and rows[0]["trigger"] == "new-public-endpoint", d["changes"]
assert "extra.example.org" in rows[0]["text"] and "more" in rows[0]["text"] and len(rows[0]["text"]) < 2000, rows
PY
# the Markdown review shows the row
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --no-store --no-cache
expect_exit 0
grep -q "new-public-endpoint" "$WORK/out" || fail "md: no new-public-endpoint row"
grep -q "Review depth: design-review" "$WORK/out" || fail "md: depth"
exit 0
