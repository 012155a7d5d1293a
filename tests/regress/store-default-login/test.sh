# A RabbitMQ or MinIO container on its image's default login (RabbitMQ's guest/guest, which the
# Docker official image admits from any address; Bitnami's user/bitnami; MinIO's
# minioadmin/minioadmin) was "auth unknown" and no finding, though anyone who reaches it signs in.
# Now it is TM-DATA-002, high when it is published; a password setting, a configuration mounted
# where the broker reads it, a whole environment from a Secret or an env_file the scan lacks, or
# another's build of the image leave it unknown; a password set to the default counts as none.
. "$(dirname "$0")/../lib.sh"
scan_each compose k8s
python3 - "$WORK/compose.json" "$WORK/k8s.json" <<'PY' || fail "see above"
import sys
import regress
auth = {}
for path in sys.argv[1:]:
    d = regress.report(path)
    auth.update({n["id"]: n.get("auth") for n in d["model"]["nodes"] if n["kind"] in ("datastore", "queue")})
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-DATA-002", key="node")
login = sorted(i for i, a in auth.items() if a == "default-login")
assert login == ["datastore:compose:default/blobs", "queue:compose:default/events", "queue:compose:default/events-bitnami",
                 "queue:compose:default/events-guest", "queue:shop/bus"], auth
for quiet in ("queue:compose:default/events-own-user", "queue:compose:default/events-conf",
              "queue:compose:default/events-fork", "datastore:compose:default/blobs-own",
              "datastore:compose:default/blobs-env-file", "queue:shop/bus-env-from", "queue:shop/bus-conf"):
    assert auth.get(quiet) in ("unknown", "configured"), (quiet, auth)
assert sorted(rows) == login, rows
events, blobs = rows["queue:compose:default/events"], rows["datastore:compose:default/blobs"]
assert events[0] == "high" and "guest/guest" in events[1] and "reachable from the internet" in events[1], rows
assert blobs[0] == "high" and "minioadmin/minioadmin" in blobs[1], rows
assert "RABBITMQ_PASSWORD: user/bitnami" in rows["queue:compose:default/events-bitnami"][1], rows
assert "RABBITMQ_DEFAULT_PASS=guest" in rows["queue:compose:default/events-guest"][1], rows
assert rows["queue:shop/bus"][0] == "medium", rows
PY
