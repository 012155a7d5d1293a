# A Mosquitto Deployment whose mosquitto.conf (allow_anonymous true) comes from a ConfigMap, behind
# a LoadBalancer: no broker, no TM-DATA-002, and `paths --from internet` found nothing of value
# (trial AI-2). Now the ConfigMap value the pod mounts is read as the broker's configuration, with
# the ConfigMap's lines as evidence; one that sets a password_file leaves it secured.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
q = {n["id"]: n for n in d["model"]["nodes"] if n["kind"] == "queue"}
assert sorted(q) == ["queue:iot/broker", "queue:plant/locked"], sorted(q)
b = q["queue:iot/broker"]
assert b["auth"] == "none" and b["store"] == "mosquitto", b
at = [x["at"] for x in b["facts"] if x["key"] == "no_auth"][0]
assert at == {"path": "broker.yaml", "line": 10, "column": 21}, at
assert q["queue:plant/locked"]["auth"] == "configured" and not q["queue:plant/locked"].get("no_auth"), q["queue:plant/locked"]
f = [f for f in d["findings"] if f["rule"] == "TM-DATA-002"]
assert len(f) == 1 and f[0]["subject"] == "queue:iot/broker" and f[0]["severity"] == "high", f
PY
run_bounded 60 "$TRUSTMAP" paths --from internet "$CASE/in" --no-store --no-cache
grep -q "queue:iot/broker" "$WORK/out" || { cat "$WORK/out" >&2; fail "no path to the open broker"; }
grep -q "queue:plant/locked" "$WORK/out" && { cat "$WORK/out" >&2; fail "a path to the broker asking for a password"; }
exit 0
