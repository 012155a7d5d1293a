#!/usr/bin/env bash
# Chat-stack trial: Synapse's homeserver.yaml, bind-mounted into its container through ./synapse at
# /data, was a skipped file ("no recognised document") because application configuration was
# recognised only by a list of names (config, settings, secrets...): its database password and its
# registration secret went unseen, and its database host drew no call. A YAML or JSON file no reader
# recognises that a compose service holds through a bind mount (the file itself, or the deepest
# directory above it a service mounts) is now read as that service's configuration, whatever its
# name: its credentials (TM-SEC-006, held by the service) and its calls. Not read: a file nothing
# mounts, one in a service's own source tree (its build context mounted for development), a
# package manager's manifest, anything under a hidden directory.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
inputs = {i["path"]: i["kind"] for i in d["inputs"]}
skipped = {s["path"] for s in d["skipped"]}
assert inputs.get("relay/conf/relay.yml") == "app-config", inputs
assert inputs.get("hooks.json") == "app-config", inputs
for p in ("notes/deploy-values.yml", "web/src/runtime.yml", "relay/conf/package.json", "relay/conf/.cache/state.json"):
    assert p not in inputs and p in skipped, (p, inputs, skipped)
nodes = {n["id"]: n for n in d["model"]["nodes"]}
relay = "service:compose:default/relay"
for f, key in (("relay/conf/relay.yml", "upstream.queue.password"), ("hooks.json", "alerts.api_token")):
    n = nodes.get("secret:config:" + f)
    assert n and n["config_credentials"] == [key], (f, n)
    assert n.get("used_by") == [relay], n
calls = {(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"}
assert (relay, "service:compose:default/queue") in calls, calls
sec = [f for f in d["findings"] if f["rule"] == "TM-SEC-006"]
keys = " ".join(f["title"] for f in sec) + " ".join(a.get("title", "") for f in sec for a in f.get("affected", []))
assert "registry" not in keys and "session_token" not in keys and "api.token" not in keys, keys
notes = [x["message"] for x in d["diagnostics"] if "is read as the configuration of" in x["message"]]
assert any("relay/conf/relay.yml" in m and "/etc/relay/relay.yml" in m and "directory holding it" in m for m in notes), notes
assert any("hooks.json" in m and "/app/hooks.json" in m and "mounts the file itself" in m for m in notes), notes
PY
exit 0
