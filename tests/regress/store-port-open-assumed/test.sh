# Stores' authentication (trials T3, S6). A redis known by its port alone (a project's own image)
# with no password setting anywhere was silent (auth unknown, no finding, no question): it is now
# TM-DATA-002 under a stated assumption, kept at medium. A Kafka whose SSL listener requires the
# client's certificate (KAFKA_SSL_CLIENT_AUTH: required) was "admits any client", and Confluent's
# *_SSL_*_CREDENTIALS variables, which name files, were committed credentials (TM-SEC-001 high).
# Not assumed open: a proxy on the port (argo-cd's redis-ha haproxy), or a Secret handing it a value.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
def members(rule):
    out = []
    for f in d["findings"]:
        if f["rule"] == rule:
            out += [a["node"] for a in f.get("affected", [])] or [f["subject"]]
    return out
data = [f for f in d["findings"] if f["rule"] == "TM-DATA-002"]
assert members("TM-DATA-002") == ["datastore:mw/cache"], members("TM-DATA-002")
assert data[0]["severity"] == "medium" and "assumed open" in json.dumps(data[0]), data[0]
assert not members("TM-SEC-001"), members("TM-SEC-001")
PY
exit 0
