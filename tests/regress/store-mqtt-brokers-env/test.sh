# VerneMQ with DOCKER_VERNEMQ_ALLOW_ANONYMOUS=on and HiveMQ CE (its image ships the allow-all
# extension), published on 1883, were no brokers and had no TM-DATA-002 (trial AI-1b). Now EMQX,
# VerneMQ and HiveMQ are brokers by their images, open or not by what their images document:
# EMQX admits anyone until an authenticator is configured (EMQX_AUTHENTICATION__*, 4.x's
# EMQX_ALLOW_ANONYMOUS=false), VerneMQ refuses anonymous clients unless told, HiveMQ admits anyone
# unless HIVEMQ_ALLOW_ALL_CLIENTS=false or an extension is mounted; a broker whose client ports
# are not published is said to be open inside the project only.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
import regress
d = json.load(open(sys.argv[1]))
q = {n["name"]: n for n in d["model"]["nodes"] if n["kind"] == "queue"}
want = {"verne-open": ("vernemq", "none"), "verne-users": ("vernemq", "configured"), "hive": ("hivemq", "none"),
        "hive-locked": ("hivemq", "configured"), "hive-ext": ("hivemq", "unknown"), "emqx-open": ("emqx", "none"),
        "emqx-authn": ("emqx", "configured"), "emqx4-closed": ("emqx", "configured"),
        "emqx-dashboard-only": ("emqx", "none")}
got = {k: (v.get("store"), v.get("auth")) for k, v in q.items()}
assert got == want, got
open_ = sorted(k for k, v in q.items() if v.get("no_auth"))
assert open_ == ["emqx-dashboard-only", "emqx-open", "hive", "verne-open"], open_
assert q["emqx-dashboard-only"].get("no_auth_internal_only") is True, q["emqx-dashboard-only"]
rows = {k: sev for k, (sev, _) in regress.rows(d["findings"], "TM-DATA-002").items()}
assert rows == {"emqx-dashboard-only": "medium", "emqx-open": "high", "hive": "high", "verne-open": "high"}, rows
PY
exit 0
