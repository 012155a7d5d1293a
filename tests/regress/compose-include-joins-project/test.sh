# A compose file's top-level `include:` (the Compose Specification's, docker compose 2.20+) was not
# read: each included file became a project of its own, so the including project's services named
# hosts (db, cache) that were nowhere in it, the calls to them were lost, and the included services
# sat in another boundary. Now an included file's services join the including project (a path, or
# an entry's `path:` list); a file no scan holds and an include cycle are warnings at the path.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "compose include: not read as the Compose Specification says (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
ids = {n["id"] for n in j["model"]["nodes"] if n["kind"] == "service"}
want = {"service:compose:default/web", "service:compose:default/db", "service:compose:default/cache"}
if ids != want:
    bad.append("services: %s, want %s" % (sorted(ids), sorted(want)))
calls = {(e["from"], e["to"]) for e in j["model"]["edges"] if e["kind"] == "calls"}
for to in ("service:compose:default/db", "service:compose:default/cache"):
    if ("service:compose:default/web", to) not in calls:
        bad.append("no call web -> %s: %s" % (to, sorted(calls)))
msgs = [(d["path"], d["line"], d["message"]) for d in j["diagnostics"]]
if not any(p == "compose.yaml" and l == 7 and "'missing/compose.yaml' is not among the scanned" in m for p, l, m in msgs):
    bad.append("the missing include is not a warning at its path: %s" % msgs)
if not any(p == "cache/more.yaml" and l == 2 and "leads back to itself" in m for p, l, m in msgs):
    bad.append("the include cycle is not a warning: %s" % msgs)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
