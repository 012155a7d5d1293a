# An Eclipse Mosquitto broker was no broker at all: no queue node, its mosquitto.conf "not examined",
# no TM-DATA-002 however open, and `query` asked it GET / as if it spoke HTTP (trial AI-1). Now the
# image makes a queue node and its configuration file, found where the container reads it (a bind
# mount of the file or a directory above it, -c PATH), decides: each listener's allow_anonymous
# (per_listener_settings honoured), password_file, the version's default (anonymous allowed before
# 2.0; from 2.0 none without a listener: localhost only); a mount the inputs do not hold is said in
# a note and leaves it unknown.
. "$(dirname "$0")/../lib.sh"
scan_each open split default2 legacy unseen secured local
python3 - "$WORK" <<'PY' || fail "see above"
import sys, os
import regress
W = sys.argv[1]
def load(p):
    return regress.report(os.path.join(W, p + ".json"))
def store(d):
    q = [n for n in d["model"]["nodes"] if n["kind"] == "queue"]
    assert len(q) == 1, [n["id"] for n in d["model"]["nodes"]]
    return q[0]
def d002(d):
    return regress.members(d["findings"], "TM-DATA-002")
d = load("open"); s = store(d)
assert s["store"] == "mosquitto" and s["auth"] == "none", s
assert any(i["path"].endswith("broker/config/mosquitto.conf") and i["kind"] == "app-config" for i in d["inputs"]), d["inputs"]
assert len(s["no_auth"]) == 2 and "allow_anonymous true" in s["no_auth"][0] and "9001 (websockets" in s["no_auth"][1], s["no_auth"]
f = d002(d); assert len(f) == 1 and f[0]["severity"] == "high" and "reachable from the internet" in f[0]["title"], f
at = [x["at"] for x in s["facts"] if x["key"] == "no_auth"][0]
assert at["path"].endswith("broker/config/mosquitto.conf") and at["line"] == 5 and at["column"] == 17, at
assert any(f["rule"] == "TM-MESH-007" for f in d["findings"]), [f["rule"] for f in d["findings"]]
d = load("split"); s = store(d)
assert s["auth"] == "none" and len(s["no_auth"]) == 1 and s["no_auth"][0].startswith("listener 1883"), s
assert s.get("no_auth_internal_only") is True, s
f = d002(d); assert f and f[0]["severity"] == "medium", f
assert "8883 (mqtt, TLS): password_file" in s["mqtt_listeners"], s["mqtt_listeners"]
d = load("default2"); s = store(d)
assert s.get("secured_by_default") is True and not s.get("no_auth") and not d002(d), s
d = load("legacy"); s = store(d)
assert s["auth"] == "none" and "before 2.0" in s["no_auth"][0], s
assert d002(d)[0]["severity"] == "high", d002(d)
d = load("unseen"); s = store(d)
assert s["auth"] == "unknown" and not s.get("no_auth"), s
notes = [x for x in d["diagnostics"] if "Mosquitto's configuration" in x["message"]]
assert notes and notes[0]["line"] == 7, d["diagnostics"]
d = load("secured"); s = store(d)
assert s["auth"] == "configured" and not s.get("no_auth") and not d002(d), s
d = load("local"); s = store(d)
assert s["auth"] == "none" and s.get("no_auth_internal_only") is True and d002(d)[0]["severity"] == "medium", s
PY
# the broker speaks MQTT: query asks a connection of it, not GET /
run_bounded 60 "$TRUSTMAP" query can internet compose:default/broker "$CASE/in/open" --no-store --no-cache
grep -q "ALLOW (connected)" "$WORK/out" || { cat "$WORK/out" >&2; fail "query did not ask a connection"; }
grep -q "200" "$WORK/out" && { cat "$WORK/out" >&2; fail "query answered as for HTTP"; }
exit 0
