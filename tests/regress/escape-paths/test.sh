# `trustmap paths` had escapers of its own: its JSON passed bytes that are not UTF-8 (invalid JSON
# when a file name holds them), DEL and C1 controls; its text passed C1 controls and bad bytes, and
# printed the --from argument raw. It now escapes as the reports do (tm_report_escape).
. "$(dirname "$0")/../lib.sh"
bad=$(printf '\377\233')                 # 0xFF, then 0x9B alone: not UTF-8
sys="$WORK/sys"
mkdir -p "$sys"
cp "$CASE/app.yaml" "$sys/app.yaml"
cp "$CASE/lb.yaml" "$sys/lb${bad}.yaml"
node=$(printf 'service:app/web\033[2J\302\233')
run_bounded 60 "$TRUSTMAP" paths --from internet --to "$node" "$sys" --format json
expect_exit 0
cp "$WORK/out" "$WORK/paths.json"
python3 - "$WORK/paths.json" <<'PY' || fail "paths --format json is not valid UTF-8 JSON with the names intact (see above)"
import json, sys
raw = open(sys.argv[1], "rb").read()
try:
    doc = json.loads(raw.decode("utf-8"))
except (UnicodeDecodeError, ValueError) as e:
    print("not UTF-8 JSON: %s\n%r" % (e, raw[:400]), file=sys.stderr)
    sys.exit(1)
if any(b < 0x20 and b not in (0x0a, 0x20) for b in raw) or b"\xc2\x9b" in raw or b"\x7f" in raw:
    print("raw control characters in %r" % raw[:400], file=sys.stderr)
    sys.exit(1)
hop = doc["paths"][0]["hops"][-1]
if hop["node"] != "service:app/web\x1b[2J\x9b" or hop["evidence"]["path"] != "lb\ufffd\ufffd.yaml":
    print("unexpected hop %r" % hop, file=sys.stderr)
    sys.exit(1)
PY
text_check() {
  python3 - "$1" "$2" <<'PY' || fail "paths text output $1 carries raw controls (see above)"
import sys
raw = open(sys.argv[1], "rb").read()
try:
    text = raw.decode("utf-8")
except UnicodeDecodeError as e:
    print("not UTF-8: %s: %r" % (e, raw[:300]), file=sys.stderr)
    sys.exit(1)
bad = sorted({c for c in text if (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f) and c != "\n"})
if bad:
    print("raw " + ", ".join("U+%04X" % ord(c) for c in bad), file=sys.stderr)
    sys.exit(1)
if sys.argv[2] not in text:
    print("%r not found in %r" % (sys.argv[2], text[:300]), file=sys.stderr)
    sys.exit(1)
PY
}
run_bounded 60 "$TRUSTMAP" paths --from internet --to "$node" "$sys"
expect_exit 0
cp "$WORK/out" "$WORK/paths.txt"
text_check "$WORK/paths.txt" $'service:app/web\\x1b[2J\\u009b  (routes; '
# the --from argument names the workload: echoed escaped
run_bounded 60 "$TRUSTMAP" paths --from "workload:${node#service:}" "$sys"
expect_exit 0
cp "$WORK/out" "$WORK/from.txt"
text_check "$WORK/from.txt" 'from workload:app/web\x1b[2J\u009b: '
exit 0
