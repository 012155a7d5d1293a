# diff compared only which edges came and went, so a route both sides hold that lost its only
# credential check (a Kong `jwt` plugin, an ingress `auth-url` annotation taken off a public route)
# was "Review depth: none — the change leaves the model as it was", and a finding whose severity the
# change raised (an open-login Postgres now published: medium -> high, same fingerprint) was in
# neither list. Now the dropped check is a `removed` change (deep-dive), an added one
# `new-auth-flow`, and the raised finding is new at its new severity.
. "$(dirname "$0")/../lib.sh"
check() { # check BASE HEAD PYTHON-ASSERTS
  run_bounded 60 "$TRUSTMAP" diff "$1" "$2" --format json --no-store --no-cache
  expect_exit 0 1
  python3 -c "
import json, sys
d = json.load(open('$WORK/out'))
ch = [(c['trigger'], c['text']) for c in d['changes']]
new = [(f['rule'], f['severity'], f['title']) for f in d['findings_new']]
$3" || fail "diff $1 $2: see above"
}
# Kong: the jwt plugin removed from the service
cp -r "$CASE/kong-old" "$WORK/kong-new"
sed -i '/plugins:/d; /- name: jwt/d' "$WORK/kong-new/kong/kong.yml"
check "$CASE/kong-old" "$WORK/kong-new" "
assert d['review_depth'] == 'deep-dive', (d['review_depth'], ch)
assert any(t == 'removed' and 'no longer asks for a credential' in x and 'kong plugin jwt' in x for t, x in ch), ch"
check "$WORK/kong-new" "$CASE/kong-old" "
assert any(t == 'new-auth-flow' and 'now asks for a credential through kong plugin jwt' in x for t, x in ch), ch"
# ingress-nginx: the auth-url annotation removed from the only public Ingress
cp -r "$CASE/ingress-old" "$WORK/ingress-new"
sed -i '/annotations:/d; /auth-url/d' "$WORK/ingress-new/app.yaml"
check "$CASE/ingress-old" "$WORK/ingress-new" "
assert d['review_depth'] == 'deep-dive', (d['review_depth'], ch)
assert any(t == 'removed' and 'auth-url' in x for t, x in ch), ch"
# compose: an open-login Postgres published by an override file
cp -r "$CASE/pg-old" "$WORK/pg-new"
printf 'services:\n  postgres:\n    ports:\n      - "5432:5432"\n' > "$WORK/pg-new/docker-compose.override.yml"
check "$CASE/pg-old" "$WORK/pg-new" "
rose = [t for r, s, t in new if r == 'TM-DATA-002']
assert rose and 'was medium before the change' in rose[0], new
assert [s for r, s, t in new if r == 'TM-DATA-002'] == ['high'], new"
exit 0
