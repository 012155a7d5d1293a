# A hardening change (a storefront's database and cache ports bound to 127.0.0.1, saleor-platform's
# shape) was reviewed as "0 changes ... Review depth: none — nothing new" while it resolved two
# findings and took two ways in from the internet away: docs/ci.md defines "none" as "the model did
# not change". A narrowed exposure is now a change row with its before and after ("no longer
# reachable from the internet (now compose networks: published on 127.0.0.1:5432 only)"), and the
# review is at least lightning; a LoadBalancer made a ClusterIP the same, its entry point removed
# said too, and a route taken away whose backend stays published. The reverse change (publishing) is reviewed as before: new-public-endpoint rows.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --format md --no-store --no-cache
expect_exit 0
md="$WORK/out"
grep -q '^\*\*Review depth: lightning\*\* — 2 changes, none a review trigger (30-45 min)$' "$md" \
  || fail "the depth: $(grep -m1 'Review depth' "$md")"
grep -q '^2 changes, 0 new findings, 2 resolved\. ' "$md" || fail "the count: $(grep -m1 changes "$md")"
grep -qF '| changed | service:compose:storefront/db is no longer reachable from the internet (now compose networks: published on 127.0.0.1:5432 only) (`docker-compose.yml`:21) |' "$md" \
  || fail "the db row: $(grep -F 'storefront/db' "$md")"
grep -qF '| changed | service:compose:storefront/cache is no longer reachable from the internet (now compose networks: published on 127.0.0.1:6379 only) (`docker-compose.yml`:28) |' "$md" \
  || fail "the cache row: $(grep -F 'storefront/cache' "$md")"
if grep -q 'nothing new' "$md"; then fail "said nothing new: $(cat "$md")"; fi

run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --format json --no-store --no-cache
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "json (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["review_depth"] == "lightning", d["review_depth"]
rows = {c["node"]: c for c in d["changes"]}
assert sorted(rows) == ["service:compose:storefront/cache", "service:compose:storefront/db"], rows
for c in rows.values():
    assert c["trigger"] == "changed", c
    assert "no longer reachable from the internet (now compose networks" in c["text"], c
    assert c["evidence"] and c["evidence"][0]["path"] == "docker-compose.yml", c
assert rows["service:compose:storefront/db"]["evidence"][0]["line"] == 21, rows
assert sorted(f["rule"] for f in d["findings_resolved"]) == ["TM-MESH-004", "TM-MESH-007"], d["findings_resolved"]
PY

# the reverse: publishing both ports is new surface, as it was
run_bounded 60 "$TRUSTMAP" diff "$CASE/head" "$CASE/base" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "json, publishing (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["review_depth"] == "deep-dive", d["review_depth"]
trig = sorted((c["trigger"], c["text"]) for c in d["changes"])
assert trig == [
    ("new-public-endpoint", "new route entrypoint:internet -> service:compose:storefront/cache"),
    ("new-public-endpoint", "new route entrypoint:internet -> service:compose:storefront/db"),
    ("new-public-endpoint", "service:compose:storefront/cache is now reachable from the internet (was compose networks)"),
    ("new-public-endpoint", "service:compose:storefront/db is now reachable from the internet (was compose networks)"),
], trig
assert "TM-MESH-007" in [f["rule"] for f in d["findings_new"]], d["findings_new"]
PY

# Kubernetes: a LoadBalancer made a ClusterIP; the internet's entry point goes with it
run_bounded 60 "$TRUSTMAP" diff "$CASE/k8s-base" "$CASE/k8s-head" --format json --no-store --no-cache
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "json, kubernetes (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["review_depth"] == "lightning", d["review_depth"]
trig = sorted((c["trigger"], c["text"]) for c in d["changes"])
assert trig == [
    ("changed", "entrypoint:internet was removed"),
    ("changed", "service:shop/orders is no longer reachable from the internet (now cluster)"),
], trig
PY
run_bounded 60 "$TRUSTMAP" diff "$CASE/k8s-head" "$CASE/k8s-base" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "json, kubernetes publishing (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["review_depth"] in ("design-review", "deep-dive"), d["review_depth"]
assert ("new-public-endpoint", "service:shop/orders is now reachable from the internet (was cluster)") in \
    [(c["trigger"], c["text"]) for c in d["changes"]], d["changes"]
PY
# one route of an Ingress taken away, its backend still published by its LoadBalancer: a row of its own
run_bounded 60 "$TRUSTMAP" diff "$CASE/route-base" "$CASE/route-head" --format json --no-store --no-cache
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "json, a route removed (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["review_depth"] == "lightning", d["review_depth"]
assert [(c["trigger"], c["text"]) for c in d["changes"]] == [("changed",
    "route gateway:shop/storefront -> service:shop/orders removed (service:shop/orders stays reachable from the internet)")], d["changes"]
PY
# the same model on both sides: still "none"
run_bounded 60 "$TRUSTMAP" diff "$CASE/head" "$CASE/head" --format json --no-store --no-cache
expect_exit 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["review_depth"]=="none" and d["changes"]==[], d' "$WORK/out" \
  || fail "an unchanged model reviewed as a change"
exit 0
