# A published port of a backend that an authenticating gateway also routes to was a medium
# TM-MESH-004 worded as for a gateway that checks nothing ("around the gateway that also routes to
# it"). When the gateway's route to the backend checks the caller (auth_basic, or auth_request that
# it hands to a login service), the finding now names the gateway and the check the published port
# skips, at high (the rule's default); around a gateway that checks nothing it stays medium.
. "$(dirname "$0")/../lib.sh"
for v in basic delegated open; do
  run_bounded 60 "$TRUSTMAP" scan "$CASE/in/$v" --format json --no-store --no-cache
  expect_exit 0 1
  cp "$WORK/out" "$WORK/$v.json"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, sys
def m4(v):
    d = json.load(open(f"{sys.argv[1]}/{v}.json"))
    fs = [f for f in d["findings"] if f["rule"] == "TM-MESH-004"]
    assert len(fs) == 1, (v, [f["title"] for f in fs])
    return fs[0]
f = m4("basic")
assert f["severity"] == "high", f
assert "compose-port on 9000, around gateway:nginx:site.conf, which requires basic credentials (auth_basic reports at site.conf:4)" in f["title"], f["title"]
assert any(e["path"] == "site.conf" for e in f["evidence"]), f["evidence"]
f = m4("delegated")
assert f["severity"] == "high", f
assert "which checks the caller through auth_request /_check at site.conf:8" in f["title"], f["title"]
f = m4("open")
assert f["severity"] == "medium", f
assert f["title"].endswith("is exposed by a compose-port, around the gateway that also routes to it"), f["title"]
PY
exit 0
