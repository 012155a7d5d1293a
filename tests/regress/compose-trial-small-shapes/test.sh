#!/usr/bin/env bash
# Compose trial (mailcow, docker-jitsi-meet, docker-zulip): an application's directory under ~/
# (jitsi's documented CONFIG=~/.jitsi-meet-cfg) was high host access where the same directory under
# /srv was medium (since the chat-stack trial neither is host access, as ./ is not);
# ${API_KEY:-invalid} was a committed credential (high); a compose project beside
# Kubernetes manifests was named after its override file, which sorts first.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/home" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "TM-CTR-001"]
assert not f, [(x["title"], x["severity"]) for x in f]
hp = sorted(v for n in d["model"]["nodes"] for v in n.get("host_paths", []))
assert hp == ["/srv/myapp-cfg/b", "~/.myapp-cfg/a"], hp
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/placeholder" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x["title"] for x in d["findings"] if x["rule"] == "TM-SEC-001"]
assert not f, f
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/override" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
names = [s["name"] for s in d["systems"]]
assert sorted(names) == ["override: docker-compose.yml", "override: k8s"], names
PY
exit 0
