# Diagnostics on stderr turned C0 controls into '?' but passed C1 controls, bidi controls and bytes
# that are not UTF-8 straight to the terminal: in the file name, in the message (a key name) and in
# the quoted source line. Paths and messages now go through the reports' terminal escaping (\x1b,
# \u009b, \u202e visible, U+FFFD per bad byte); the source line shows each such character as '?'.
. "$(dirname "$0")/../lib.sh"
name=$(printf 'b\377\302\233.yaml')       # 0xFF (not UTF-8), then CSI (U+009B)
sys="$WORK/sys"
mkdir -p "$sys"
cp "$CASE/broken.yaml" "$sys/$name"
run_bounded 60 "$TRUSTMAP" scan "$sys" --format json --no-store
expect_exit 0 1
cp "$WORK/err" "$WORK/diag.txt"
python3 - "$WORK/diag.txt" <<'PY' || fail "diagnostics on stderr carry raw controls or bad bytes (see above)"
import sys
raw = open(sys.argv[1], "rb").read()
try:
    text = raw.decode("utf-8")
except UnicodeDecodeError as e:
    print("stderr is not UTF-8: %s\n%r" % (e, raw), file=sys.stderr)
    sys.exit(1)
bad = sorted({c for c in text if ((ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f) and c not in "\n")
              or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069})
if bad:
    print("raw %s in %r" % (", ".join("U+%04X" % ord(c) for c in bad), text), file=sys.stderr)
    sys.exit(1)
for want in ("b\ufffd\\u009b.yaml:7:2: warning: duplicate key 'k\\x1b[2J\\u009b\\u202e'",
             "# CSI ?, RLO ?x"):
    if want not in text:
        print("%r not found in %r" % (want, text), file=sys.stderr)
        sys.exit(1)
PY
exit 0
