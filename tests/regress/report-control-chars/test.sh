# Terminal controls in names reached the terminal and CSV raw: the CSV export of the register passed
# ESC (and C1 controls such as U+009B, CSI) through, so `cat findings.csv` recoloured or drove the
# terminal; Markdown, JSON and HTML passed C1 controls through. Every text writer must make C0 controls
# (but tab and newline where they are the format's own), DEL and C1 controls inert: visible as \x1b or
# \u009b in the summary, CSV and Markdown, \u00XX escapes in JSON, U+FFFD in HTML.
. "$(dirname "$0")/../lib.sh"
esc=$(printf '\033')
sys="$WORK/sys ${esc}[31m"            # the report title comes from the folder's name
mkdir -p "$sys"
cp "$CASE/hostile.yaml" "$sys/agent ${esc}]0;owned${esc}\\ x.yaml"   # OSC: would set the window title
store="sqlite:$WORK/tm.db"

# check FILE KIND: valid UTF-8, and no control character but what KIND allows; the escape is visible
check() {
  python3 - "$1" "$2" <<'PY' || fail "$2 output $1 carries control characters (see above)"
import sys
path, kind = sys.argv[1], sys.argv[2]
text = open(path, "rb").read().decode("utf-8")
if kind == "csv":
    text = text.replace("\r\n", "\n")        # the row terminator is the format's own
allowed = {"\n", "\t"} if kind in ("csv", "html", "summary", "md") else {"\n"}
bad = sorted({c for c in text if (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f) and c not in allowed})
if bad:
    print("%s (%s): raw %s" % (path, kind, ", ".join("U+%04X" % ord(c) for c in bad)), file=sys.stderr)
    sys.exit(1)
visible = {"summary": "\\x1b", "csv": "\\x1b", "md": "\\x1b", "json": "\\u001b", "html": "\ufffd"}[kind]
if visible not in text:
    print("%s (%s): %r not found: the control is not shown" % (path, kind, visible), file=sys.stderr)
    sys.exit(1)
PY
}

for fmt in summary md json html; do
  run_bounded 60 "$TRUSTMAP" scan "$sys" --format "$fmt" --no-store
  expect_exit 0
  cp "$WORK/out" "$WORK/scan.$fmt"
  check "$WORK/scan.$fmt" "$fmt"
done

# the register's CSV exports: findings (title, location), and the inputs a run changed (path)
run_bounded 60 "$TRUSTMAP" scan "$sys" --store "$store" --format json
expect_exit 0
run_bounded 60 "$TRUSTMAP" findings "$sys" --store "$store" --status all --format csv
expect_exit 0
cp "$WORK/out" "$WORK/findings.csv"
check "$WORK/findings.csv" csv
grep -q 'ag\\x1b\[31ment\\u009b2J\\x07\\x7f\\u0085' "$WORK/findings.csv" \
  || fail "the container name is not shown with its controls escaped in findings.csv"
run_bounded 60 "$TRUSTMAP" history "$sys" --store "$store" --format csv
expect_exit 0
cp "$WORK/out" "$WORK/history.csv"
check "$WORK/history.csv" csv
exit 0
