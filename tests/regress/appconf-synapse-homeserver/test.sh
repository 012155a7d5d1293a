#!/usr/bin/env bash
# Chat-stack trial: Synapse's homeserver.yaml was never read (a skipped file: "no recognised
# document"), though it holds the database's password, registration_shared_secret (anyone holding
# it registers an administrator), macaroon_secret_key (forges access tokens) and form_secret, and its
# database.args.host is Synapse's call to its database. It is now application configuration by its
# shape (server_name with listeners, beside a setting only a homeserver writes), whatever its name
# and whether or not anything mounts it: in compose (./synapse at /data) and in a Kubernetes tree
# whose synapse/ directory names the Deployment. A file with a server_name and listeners alone is not.
. "$(dirname "$0")/../lib.sh"
for side in compose k8s quiet; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$side" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$side.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
want = ["database.args.password", "form_secret", "macaroon_secret_key", "registration_shared_secret"]
for side, svc, db in (("compose", "service:compose:default/synapse", "service:compose:default/postgres"),
                      ("k8s", "service:matrix/synapse", "service:matrix/postgres")):
    d = json.load(open(f"{sys.argv[1]}/{side}.json"))
    inputs = {i["path"]: i["kind"] for i in d["inputs"]}
    assert inputs.get("synapse/homeserver.yaml") == "app-config", (side, inputs)
    n = {x["id"]: x for x in d["model"]["nodes"]}.get("secret:config:synapse/homeserver.yaml")
    assert n and sorted(n["config_credentials"]) == want, (side, n)
    assert n.get("used_by") == [svc], (side, n.get("used_by"))
    calls = {(e["from"], e["to"]): e for e in d["model"]["edges"] if e["kind"] == "calls"}
    e = calls.get((svc, db))
    assert e and e["setting"] == ["synapse/homeserver.yaml: database.args.host"], (side, calls)
    sec = [f for f in d["findings"] if f["rule"] == "TM-SEC-006"]
    assert sec and sec[0]["severity"] == "high", (side, sec)
d = json.load(open(f"{sys.argv[1]}/quiet.json"))
assert not d["inputs"] and [s["path"] for s in d["skipped"]] == ["docs/server.yaml"], (d["inputs"], d["skipped"])
assert not [f for f in d["findings"] if f["rule"] == "TM-SEC-006"]
PY
exit 0
