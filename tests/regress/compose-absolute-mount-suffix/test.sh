#!/usr/bin/env bash
# Chat-stack trial: a bind mount from an absolute host path (the README has the repository cloned
# into /data: /data/nginx_data/conf.d/chat.conf at /etc/nginx/conf.d/chat.conf) unlinked the nginx
# configuration from its service without a word, and the findings differed from the same project
# written with ./nginx_data; its data directories (/data/pgsql_data, ~/.jitsi-meet-cfg) were
# "privileged container or host access" where ./ directories are not. Now an absolute or ~ host path
# (a data directory of the host's own, not /etc...) whose last parts agree with a file or directory
# of the scan stands for it, said in a note naming both; several that fit are named and none taken;
# and a compose service's data directory is no host access.
. "$(dirname "$0")/../lib.sh"
for side in abs rel amb sys; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$side" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$side.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
def load(s): return json.load(open(f"{sys.argv[1]}/{s}.json"))
def notes(d): return [x["message"] for x in d["diagnostics"]]
def gw_runners(d):
    return sorted((e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "runs" or e["kind"] == "routes")
a, r = load("abs"), load("rel")
def hosted(d):
    return sorted(n["id"] + " " + str(n.get("hosted_by") or n.get("runs_on") or n.get("run_by"))
                  for n in d["model"]["nodes"] if n["id"].startswith("gateway:"))
ra = sorted((f["rule"], f["severity"]) for f in a["findings"] if f["rule"] != "TM-SEC-006")
rr = sorted((f["rule"], f["severity"]) for f in r["findings"])
assert [x for x in ra if x[0] in ("TM-MESH-013", "TM-MESH-004")] == [x for x in rr if x[0] in ("TM-MESH-013", "TM-MESH-004")], (ra, rr)
assert gw_runners(a) == gw_runners(r), (gw_runners(a), gw_runners(r))
assert any("/data/nginx_data/conf.d/chat.conf is taken to be nginx_data/conf.d/chat.conf" in m and "last 3 parts agree" in m
           for m in notes(a)), notes(a)
assert any("/data/synapse_data is taken to be synapse_data" in m for m in notes(a)), notes(a)
# the homeserver.yaml under /data/synapse_data is Synapse's: its call to db, its credential held
calls = {(e["from"], e["to"]) for e in a["model"]["edges"] if e["kind"] == "calls"}
assert ("service:compose:default/synapse", "service:compose:default/db") in calls, calls
ctr = [f for f in a["findings"] if f["rule"] == "TM-CTR-001"]
assert not ctr, [f["title"] for f in ctr]
d = load("amb")
assert any("/srv/conf/app.yaml may be any of a/conf/app.yaml, b/conf/app.yaml" in m for m in notes(d)), notes(d)
assert not [e for e in d["model"]["edges"] if e["kind"] == "mounts"]
d = load("sys")
assert not any("is taken to be" in m for m in notes(d)), notes(d)
ctr = [f for f in d["findings"] if f["rule"] == "TM-CTR-001"]
assert ctr and ctr[0]["severity"] in ("high", "critical"), [(f["title"], f["severity"]) for f in ctr]
PY
exit 0
