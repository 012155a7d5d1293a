# The Mermaid writer (mm_str) wrote C1 controls and bytes that are not UTF-8 raw, and the DOT writer
# walked names a byte at a time, so a C1 control (two valid UTF-8 bytes) passed it: `--format mermaid`
# was invalid UTF-8 and both carried a raw CSI. Both now use the shared UTF-8 walk: U+FFFD per bad
# byte, controls visible (Mermaid #92;x1b renders \x1b; DOT \\x1b, which Graphviz shows as \x1b).
. "$(dirname "$0")/../lib.sh"
bad=$(printf '\377\233')                 # 0xFF, then 0x9B alone: not UTF-8
sys="$WORK/sys"
mkdir -p "$sys/.github/workflows"
cp "$CASE/app.yaml" "$sys/app.yaml"
cp "$CASE/workflow.yml" "$sys/.github/workflows/ci${bad}.yml"
for fmt in mermaid dot md; do
  run_bounded 60 "$TRUSTMAP" scan "$sys" --format "$fmt" --no-store
  expect_exit 0
  cp "$WORK/out" "$WORK/scan.$fmt"
  python3 - "$WORK/scan.$fmt" "$fmt" <<'PY' || fail "$fmt: raw controls, invalid UTF-8 or no visible escape (see above)"
import sys
path, fmt = sys.argv[1], sys.argv[2]
try:
    text = open(path, "rb").read().decode("utf-8")
except UnicodeDecodeError as e:
    print("%s: not UTF-8: %s" % (path, e), file=sys.stderr)
    sys.exit(1)
bad = sorted({c for c in text if (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f) and c not in "\n\t"})
if bad:
    print("%s: raw %s" % (path, ", ".join("U+%04X" % ord(c) for c in bad)), file=sys.stderr)
    sys.exit(1)
want = {"mermaid": ["web#92;x1b#91;2J#92;u009b#92;u0085", "ci\ufffd\ufffd.yml"],
        "dot": ["web\\\\x1b[2J\\\\u009b\\\\u0085", "ci\ufffd\ufffd.yml"],
        "md": ["web#92;x1b#91;2J#92;u009b#92;u0085"]}[fmt]
for w in want:
    if w not in text:
        print("%s: %r not found" % (path, w), file=sys.stderr)
        sys.exit(1)
PY
done
exit 0
