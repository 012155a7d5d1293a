# The Markdown report wrote a finding's guardrail snippet (a fenced YAML block) byte by byte: a
# PeerAuthentication named "loose\e[2J\x9b" put a raw ESC and a raw C1 CSI into `--format md`, so
# `cat threat-model.md` cleared the terminal. The block's lines go through the shared UTF-8 walk:
# controls visible (\x1b, \u009b: a backslash is literal in a code block), backticks as '.
. "$(dirname "$0")/../lib.sh"
sys="$WORK/sys"
mkdir -p "$sys"
cp "$CASE/mesh.yaml" "$sys/mesh.yaml"
run_bounded 60 "$TRUSTMAP" scan "$sys" --format md --no-store
expect_exit 0
cp "$WORK/out" "$WORK/scan.md"
python3 - "$WORK/scan.md" <<'PY' || fail "the Markdown report carries raw controls or hides them (see above)"
import sys
text = open(sys.argv[1], "rb").read().decode("utf-8")
bad = sorted({c for c in text if (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f) and c not in "\n\t"})
if bad:
    print("raw " + ", ".join("U+%04X" % ord(c) for c in bad), file=sys.stderr)
    sys.exit(1)
want = "     name: loose\\x1b[2J\\u009b'x\n"
if want not in text:
    block = text[text.find("kind: PeerAuthentication"):][:200]
    print("guardrail line %r not found in:\n%s" % (want, block), file=sys.stderr)
    sys.exit(1)
PY
exit 0
