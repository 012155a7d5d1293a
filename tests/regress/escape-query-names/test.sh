# `trustmap query` echoed a name that matches nothing raw on stderr ("'NAME' names no workload..."):
# ESC, C1 controls and bad bytes reached the terminal. The name is escaped as the reports do.
. "$(dirname "$0")/../lib.sh"
sys="$WORK/sys"
mkdir -p "$sys"
cp "$CASE/app.yaml" "$sys/app.yaml"
name=$(printf 'app/x\033[2J\302\233\377')
for cmd in "can internet" "who-can-call"; do
  # shellcheck disable=SC2086
  run_bounded 60 "$TRUSTMAP" query $cmd "$name" "$sys"
  expect_exit 2
  cp "$WORK/err" "$WORK/err.txt"
  python3 - "$WORK/err.txt" <<'PY' || fail "query $cmd: the unknown name reached stderr raw (see above)"
import sys
raw = open(sys.argv[1], "rb").read()
try:
    text = raw.decode("utf-8")
except UnicodeDecodeError as e:
    print("stderr is not UTF-8: %s: %r" % (e, raw), file=sys.stderr)
    sys.exit(1)
bad = sorted({c for c in text if (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f) and c != "\n"})
if bad:
    print("raw %s in %r" % (", ".join("U+%04X" % ord(c) for c in bad), text), file=sys.stderr)
    sys.exit(1)
if "'app/x\\x1b[2J\\u009b\ufffd' names no workload" not in text:
    print("escaped name not found in %r" % text, file=sys.stderr)
    sys.exit(1)
PY
done
exit 0
