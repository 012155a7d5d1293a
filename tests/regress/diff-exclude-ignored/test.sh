# `diff --exclude GLOB` left nothing out: the options' lists were freed as soon as they were parsed,
# so a directory a scan excluded showed up in a review as new services and new findings.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" diff "$CASE/base" "$CASE/head" --exclude 'generated/' --format json --no-store --no-cache
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "the excluded directory reached the review (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
if j["changes"] or j["findings_new"]:
    sys.exit("changes %s, new findings %s" % ([c["node"] for c in j["changes"]], [f["rule"] for f in j["findings_new"]]))
PY
exit 0
