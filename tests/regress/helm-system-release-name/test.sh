# docs/helm.md said `.Release.Name` could be set ("option release_name"), but no such option
# existed: trustmap.yaml's systems refused the key, so podtato-head's chart rendered as
# `release-name-*` and its configuration's `podtato-head-hat` named nothing. A system's
# `release_name` is the release its charts are installed under.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ids = [n["id"] for n in d["model"]["nodes"]]
assert "service:podtato/podtato-head-hat" in ids, ids
assert not [x for x in d["diagnostics"] if "release_name" in x["message"]], d["diagnostics"]
PY
exit 0
