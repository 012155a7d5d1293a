# TM-PATH-001 reported a high "path" from the internet through an exposed service to the open
# cache that service itself uses (authentik's server and its redis): taking the service over reaches
# its own cache whether the cache asks for a password or not (the client would hold it), so the
# advised fix could not break it; TM-DATA-002 already says the cache admits anyone. Such a path is
# no longer reported; a path through another workload's calls to its open cache still is.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
paths = [f for f in d["findings"] if f["rule"] == "TM-PATH-001"]
text = json.dumps(paths)
assert "stock-cache" in text, [f["title"] for f in paths]
assert "compose:default/page-cache" not in text, [f["title"] for f in paths]
PY
