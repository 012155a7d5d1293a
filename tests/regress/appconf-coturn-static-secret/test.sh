#!/usr/bin/env bash
# Chat-stack trial: coturn's turnserver.conf bind-mounted into its container was one of the "other
# files not examined", while the same text in a ConfigMap gave a high TM-SEC-006: its
# static-auth-secret (the key every TURN credential is made from) went unseen in compose. coturn's
# configuration is now read by its name (turnserver*.conf, coturn*.conf) as a properties file,
# held by the service that mounts it (the file, or a directory at the image's /etc/coturn); a
# template or a placeholder is no credential.
. "$(dirname "$0")/../lib.sh"
for side in compose dir quiet; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$side" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$side.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
for side, f, svc in (("compose", "coturn/turnserver.conf", "service:compose:default/coturn"),
                     ("dir", "turn/coturn-prod.conf", "service:compose:default/turn")):
    d = json.load(open(f"{sys.argv[1]}/{side}.json"))
    inputs = {i["path"]: i["kind"] for i in d["inputs"]}
    assert inputs.get(f) == "app-config", (side, inputs)
    n = {x["id"]: x for x in d["model"]["nodes"]}.get("secret:config:" + f)
    assert n and n["config_credentials"] == ["static-auth-secret"], (side, n)
    assert n.get("used_by") == [svc], (side, n)
    sec = [x for x in d["findings"] if x["rule"] == "TM-SEC-006"]
    assert len(sec) == 1 and "static-auth-secret" in sec[0]["title"] and sec[0]["severity"] == "high", (side, sec)
d = json.load(open(f"{sys.argv[1]}/quiet.json"))
assert [i["path"] for i in d["inputs"]] == ["turnserver.conf"], d["inputs"]
assert not [x for x in d["findings"] if x["rule"] == "TM-SEC-006"], d["findings"]
PY
exit 0
