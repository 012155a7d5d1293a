# AO trial (saleor-platform): the env_file a published compose service loads, committed, holds
# SECRET_KEY=changeme, Django's signing key. Nothing was said: TM-SEC-001 passes over a placeholder as
# no credential, while the same line in backend.env.example gave TM-SEC-007 (medium) and a random
# value TM-SEC-001 (high): the case where the publicly known value is deployed scored lowest. Now a
# signing or encryption secret deployed with a placeholder is TM-SEC-007
# at the line, folded over the services taking it: high when one is reachable from outside, medium
# otherwise; also in a pod's env (Strapi's "tobemodified"). Real values stay TM-SEC-001's; passwords
# that sign nothing, an object store's access secret, templates, empty values and a salt of digits
# stay quiet; an example file's value keeps its own wording and severity.
. "$(dirname "$0")/../lib.sh"
for d in fire fire-internal example quiet k8s; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$d" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$d.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
w = sys.argv[1]
def load(d):
    return json.load(open(f"{w}/{d}.json"))
def members(d, rule):
    out = []
    for f in d["findings"]:
        if f["rule"] != rule:
            continue
        out += f.get("affected") or [f]
    return out
def titles(d, rule):
    return [a["title"] for a in members(d, rule)]
def sev(d, rule):
    return sorted({a.get("severity", "") for a in members(d, rule)} |
                  {f["severity"] for f in d["findings"] if f["rule"] == rule})

fire = load("fire")
t = titles(fire, "TM-SEC-007")
assert len(t) == 2, t
key = [x for x in t if "SECRET_KEY" in x]
assert len(key) == 1 and key[0] == ("service:compose:shop/api: SECRET_KEY is a placeholder (backend.env:1), in a "
    "file api and worker take, and signs sessions, cookies or tokens: anyone can sign what api and worker accept"), t
jwt = [x for x in t if "JWT_SECRET" in x]
assert len(jwt) == 1 and "JWT_SECRET is a placeholder (.env:1)" in jwt[0], t
assert "signs JSON Web Tokens: anyone can sign what api accepts" in jwt[0], jwt
assert sev(fire, "TM-SEC-007") == ["high"], sev(fire, "TM-SEC-007")
# placeholders are no literal credential; a weak password that is none is TM-SEC-001's, once
t1 = titles(fire, "TM-SEC-001")
assert len(t1) == 1 and "credential worker/SESSION_SECRET is written in docker-compose.yml" in t1[0], t1
assert not any("SESSION_SECRET" in x for x in t), t
ev = [(e["path"], e["line"]) for f in fire["findings"] if f["rule"] == "TM-SEC-007" for e in f["evidence"]]
assert ("backend.env", 1) in ev and (".env", 1) in ev, ev

internal = load("fire-internal")
t = titles(internal, "TM-SEC-007")
assert len(t) == 1 and "AIRFLOW__WEBSERVER__SECRET_KEY is a placeholder (docker-compose.yml:7)" in t[0], t
assert sev(internal, "TM-SEC-007") == ["medium"], sev(internal, "TM-SEC-007")

ex = load("example")
t = titles(ex, "TM-SEC-007")
assert len(t) == 1 and "SECRET_KEY comes from the published example (backend.env.example:1)" in t[0], t
assert sev(ex, "TM-SEC-007") == ["medium"], sev(ex, "TM-SEC-007")

quiet = load("quiet")
assert not titles(quiet, "TM-SEC-007"), titles(quiet, "TM-SEC-007")
t1 = titles(quiet, "TM-SEC-001")
assert len(t1) == 1 and "SECRET_KEY is written in backend.env" in t1[0], t1

k8s = load("k8s")
t = titles(k8s, "TM-SEC-007")
assert len(t) == 2, t
assert any("APP_KEYS is a placeholder (deployment.yaml:20)" in x for x in t), t
assert any("ADMIN_JWT_SECRET is a placeholder (deployment.yaml:22)" in x for x in t), t
assert not any("DATABASE_PASSWORD" in x for x in t), t
assert sev(k8s, "TM-SEC-007") == ["high"], sev(k8s, "TM-SEC-007")
assert not titles(k8s, "TM-SEC-001"), titles(k8s, "TM-SEC-001")
PY
exit 0
