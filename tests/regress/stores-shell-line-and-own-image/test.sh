#!/usr/bin/env bash
# docker-zulip trial: memcached -S and redis-server --requirepass inside a `sh -c` script were not
# read (TM-DATA-002: "admits any client"), and zulip/zulip-postgresql was no data store (so
# TM-SEC-002 fired on the database's own password shared with its one client). A shell line's words
# now reach the store probe, and an image whose last word names a store (beside no word of a tool
# around one: redis-commander, fluentd-elasticsearch) is a project's own build of it.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/shell" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x["title"] for x in d["findings"] if x["rule"] == "TM-DATA-002"]
assert not f, f
PY
run_bounded 60 "$TRUSTMAP" scan "$CASE/image" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
stores = {n["id"].split("/")[-1]: n.get("store") for n in d["model"]["nodes"] if n["kind"] == "datastore"}
assert stores.get("database") == "postgres" and stores.get("cache") == "redis", stores
assert "admin" not in stores and "logs" not in stores, stores
f = [x["title"] for x in d["findings"] if x["rule"] == "TM-SEC-002"]
assert not f, f
PY
exit 0
