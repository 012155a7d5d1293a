# A Kong file of _format_version below 3.0 (decK's "1.1", "2.1") had its regular-expression paths
# read as prefixes: before Kong 3.0 a path was a regular expression when it held a character outside
# [A-Za-z0-9._~/%-] (the rule of Kong 2.x's router, and the paths decK's conversion to 3.0 prefixes
# with "~"), so `/status/\d+` matched nothing trustmap could tell. From 3.0 on only "~" says so.
# Measured by tests/e2e/gateway_truth.py (kong-deck convert/testdata/4, file-convert/002 28x-routes).
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "kong legacy regex paths (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
edges = {e["from"]: e for e in j["model"]["edges"] if e["from"].startswith("gateway:kong:") and e["kind"] == "routes"}
want = {
    "gateway:kong:kong.yml": (["/v1/health_check-2.0~x"], ["/status/\\d+", "/tilde/\\d+"]),
    "gateway:kong:kong3.yml": (["/literal/\\d+"], ["/regex/\\d+"]),
}
bad = []
for gw, (paths, patterns) in want.items():
    e = edges.get(gw, {})
    got = (sorted(e.get("paths", [])), sorted(e.get("path_patterns", [])))
    if got != (paths, patterns):
        bad.append("%s: paths %s, path_patterns %s; expected %s, %s" % (gw, got[0], got[1], paths, patterns))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
