# supabase trial: a compose project with no committed .env takes its values from .env.example, and
# some of those are published signing secrets: JWT_SECRET (it signs every token the API accepts) and
# SERVICE_ROLE_KEY (a JWT of role service_role) are the same in every copy of the repository. Nothing
# was said: example values are no committed credential (right for TM-SEC-001), and the data store
# said its JWT_SECRET was "written in the manifest". Now TM-SEC-007 states the assumption once per
# example line, folded over the services that take it, when one of them is reachable from outside
# (a JWT decoded for its role; an anon token, empty values, templates, <...>, an object store's
# secret key and services nothing outside reaches stay quiet); the store says where its value is.
. "$(dirname "$0")/../lib.sh"
for d in fire quiet-internal quiet-values; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$d" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$d.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
w = sys.argv[1]
def load(d):
    return json.load(open(f"{w}/{d}.json"))
def titles(d, rule):
    return [a["title"] for f in d["findings"] if f["rule"] == rule for a in f.get("affected", [f])]
fire = load("fire")
t = titles(fire, "TM-SEC-007")
assert len(t) == 3, t
jwt = [x for x in t if x.startswith("service:compose:shop/api: JWT_SECRET comes from the published example (.env.example:5)")]
assert len(jwt) == 1 and "anyone can sign what api, auth and db accept" in jwt[0], t
tok = [x for x in t if "SERVICE_ROLE_KEY" in x]
assert len(tok) == 1 and "a JSON Web Token of role service_role, issuer shop-demo" in tok[0], t
assert tok[0].startswith("service:compose:shop/gateway:"), tok
assert any("DJANGO_SECRET_KEY comes from the published example (web/.env.sample:1)" in x for x in t), t
assert not any("ANON_KEY" in x or "MINIO" in x or "POSTGRES_PASSWORD" in x for x in t), t
sev = {f["severity"] for f in fire["findings"] if f["rule"] == "TM-SEC-007"}
assert sev == {"medium"}, sev
# the example's values are still no committed credential
assert not titles(fire, "TM-SEC-001"), titles(fire, "TM-SEC-001")
# primary evidence: the example's line
f7 = [f for f in fire["findings"] if f["rule"] == "TM-SEC-007"][0]
ev = [(a["evidence"]["path"], a["evidence"]["line"]) for a in f7.get("affected", [])] or [(f7["evidence"][0]["path"], f7["evidence"][0]["line"])]
assert (".env.example", 5) in ev and (".env.example", 7) in ev, ev
nodes = {n["id"]: n for n in fire["model"]["nodes"]}
creds = nodes["datastore:compose:shop/db"].get("credentials")
assert creds == ["JWT_SECRET (the example's value, .env.example:5)",
                 "POSTGRES_PASSWORD (the example's value, .env.example:4)"], creds
for q in ("quiet-internal", "quiet-values"):
    assert not titles(load(q), "TM-SEC-007"), (q, titles(load(q), "TM-SEC-007"))
PY
exit 0
