# A compose service published on loopback only (`127.0.0.1:3000:3000`, mastodon's web and streaming
# behind the host's own nginx) was explained in Kubernetes terms: "No entry point found: nothing in
# the inputs is exposed outside the cluster", and `query can internet` said "no LoadBalancer,
# NodePort, Ingress or gateway route". The reason is now the binding itself ("published on
# 127.0.0.1:3000 only (a reverse proxy on the host, not in the files, may front it)"), with its
# place, and a compose project's reports speak of the host and its networks, never of a cluster.
# A Kubernetes system keeps its wording.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/social" --format md --no-store --no-cache
expect_exit 0
md="$WORK/out"
sed -n '/^### Entry points$/,/^### Services$/p' "$md" > "$WORK/entry"
grep -qx 'No entry point found: nothing in the inputs is published beyond the host.' "$WORK/entry" \
  || fail "the sentence: $(cat "$WORK/entry")"
grep -qxF -- '- `service:compose:social/web` is published on 127.0.0.1:3000 only (a reverse proxy on the host, not in the files, may front it): `docker-compose.yml:23:10`' "$WORK/entry" \
  || fail "web's line: $(cat "$WORK/entry")"
grep -qxF -- '- `service:compose:social/streaming` is published on 127.0.0.1:4000 only (a reverse proxy on the host, not in the files, may front it): `docker-compose.yml:34:10`' "$WORK/entry" \
  || fail "streaming's line: $(cat "$WORK/entry")"
if grep -qi 'cluster' "$md"; then fail "a compose project spoken of as a cluster: $(grep -i cluster "$md")"; fi
grep -q 'a public entry point (a port published beyond the host, a reverse proxy.s route)' "$md" \
  || fail "re-review triggers: $(grep -A2 'Re-review' "$md")"

run_bounded 60 "$TRUSTMAP" query can internet compose:social/web "$CASE/social" --no-store --no-cache
expect_exit 0 1
grep -qF 'compose:social/web is published on 127.0.0.1:3000 only (a reverse proxy on the host, not in the files, may front it): nothing in the files exposes it to the internet  (docker-compose.yml:23:10)' "$WORK/out" \
  || fail "query web: $(cat "$WORK/out")"
if grep -q 'LoadBalancer' "$WORK/out"; then fail "query web in Kubernetes terms: $(cat "$WORK/out")"; fi
run_bounded 60 "$TRUSTMAP" query can internet compose:social/db "$CASE/social" --no-store --no-cache
expect_exit 0 1
grep -qF 'nothing exposes compose:social/db to the internet (no port published beyond the host, no proxy route in the files)' "$WORK/out" \
  || fail "query db: $(cat "$WORK/out")"
run_bounded 60 "$TRUSTMAP" query can internet compose:social/web "$CASE/social" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "query json (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
s = json.dumps(d)
assert "published on 127.0.0.1:3000 only" in s and "LoadBalancer" not in s, s
PY

# an entry point beside a console kept on loopback: the table, then the loopback line
run_bounded 60 "$TRUSTMAP" scan "$CASE/proxied" --format md --no-store --no-cache
expect_exit 0 1
sed -n '/^### Entry points$/,/^### Services$/p' "$WORK/out" > "$WORK/entry"
grep -qF '| Internet | `service:compose:wiki/wiki` | via `compose-port` ports `80` |' "$WORK/entry" || fail "the table: $(cat "$WORK/entry")"
grep -qxF -- '- `service:compose:wiki/admin` is published on 127.0.0.1:8081 only (a reverse proxy on the host, not in the files, may front it): `compose.yaml:13:9`' "$WORK/entry" \
  || fail "admin's line: $(cat "$WORK/entry")"
if grep -q 'No entry point found' "$WORK/entry"; then fail "no entry point said beside one: $(cat "$WORK/entry")"; fi

# Kubernetes: the cluster's wording stays
run_bounded 60 "$TRUSTMAP" scan "$CASE/cluster" --format md --no-store --no-cache
expect_exit 0 1
grep -qx 'No entry point found: nothing in the inputs is exposed outside the cluster.' "$WORK/out" \
  || fail "kubernetes sentence: $(sed -n '/Entry points/,/Services/p' "$WORK/out")"
grep -q 'a public entry point (LoadBalancer or NodePort Service, Ingress rule, gateway route)' "$WORK/out" || fail "kubernetes triggers"
run_bounded 60 "$TRUSTMAP" query can internet analytics/reports "$CASE/cluster" --no-store --no-cache
expect_exit 0 1
grep -qF 'nothing exposes analytics/reports to the internet (no LoadBalancer, NodePort, Ingress or gateway route)' "$WORK/out" \
  || fail "kubernetes query: $(cat "$WORK/out")"
exit 0
