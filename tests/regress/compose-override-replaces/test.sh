# The files of one compose project were read as a union of their facts: a host path the default
# override (docker-compose.override.yml) replaces by target was still reported on the service, and
# docker-compose.prod.yml (an -f variant) was merged into the default project, so its credential
# showed up there. Now the override replaces by target and the variant is project "app[prod]".
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/app" --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "override semantics (message above)"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
def die(msg):
    sys.exit(msg)
db = nodes.get("service:compose:default/db")
if not db:
    die("no default project db: %s" % sorted(k for k in nodes if k.startswith("service:")))
if "/srv/pgdata" in db.get("host_paths", []):
    die("host path the override replaced is still on the service")
if "pgdata" not in db.get("volumes", []):
    die("the override's named volume is missing: %s" % db.get("volumes"))
if any("POSTGRES_PASSWORD" in c for c in db.get("literal_credentials", [])):
    die("the prod variant's credential leaked into the default project")
prod = nodes.get("service:compose:default[prod]/db")
if not prod or "/srv/pgdata" not in prod.get("host_paths", []):
    die("the prod variant (base + prod) is missing or lacks the base's host path")
PY
exit 0
