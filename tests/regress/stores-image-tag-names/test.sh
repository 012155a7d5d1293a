# An image from a repository that publishes every component of a project, the component named by
# the tag's last word ("ghcr.io/acme/demo:2.0.2-kafka", as the OpenTelemetry demo's compose file
# does), was no broker: the repository's name is matched against the store table, the tag was not.
# A tag word that is no store ("-alpine", "-checkout") still makes none.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "stores named by the image tag (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
stores = {n["id"]: n for n in j["model"]["nodes"] if n["kind"] in ("queue", "datastore")}
if list(stores) != ["queue:compose:default/kafka"]:
    sys.exit("expected the kafka broker alone, got %s" % list(stores))
if stores["queue:compose:default/kafka"].get("inferred_from") != "image ghcr.io/acme/demo:2.0.2-kafka":
    sys.exit("inferred from %s" % stores["queue:compose:default/kafka"].get("inferred_from"))
PY
exit 0
