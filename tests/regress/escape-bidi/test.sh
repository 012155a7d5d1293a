# Bidirectional controls in names (U+202A-U+202E, U+2066-U+2069) reached the terminal summary, the
# Markdown report and `paths` raw, where they reorder the text around them on screen (Trojan Source):
# a name could read as another. The terminal and Markdown escapers show them as \u202e, like C1 controls.
. "$(dirname "$0")/../lib.sh"
sys="$WORK/sys"
mkdir -p "$sys"
cp "$CASE/app.yaml" "$sys/app.yaml"

# check FILE WANT...: no bidi control, and each WANT is in the file
check() {
  python3 - "$@" <<'PY' || fail "$1 carries bidi controls raw (see above)"
import sys
text = open(sys.argv[1], "rb").read().decode("utf-8")
raw = sorted({c for c in text if 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069})
if raw:
    print("%s: raw %s" % (sys.argv[1], ", ".join("U+%04X" % ord(c) for c in raw)), file=sys.stderr)
    sys.exit(1)
for want in sys.argv[2:]:
    if want not in text:
        print("%s: %r not found" % (sys.argv[1], want), file=sys.stderr)
        sys.exit(1)
PY
}
run_bounded 60 "$TRUSTMAP" scan "$sys" --format summary --no-store
expect_exit 0
cp "$WORK/out" "$WORK/scan.summary"
check "$WORK/scan.summary" 'pay\u202eslov' 'ag\u2066ent\u2069'
run_bounded 60 "$TRUSTMAP" scan "$sys" --format md --no-store
expect_exit 0
cp "$WORK/out" "$WORK/scan.md"
# Markdown text escapes its backslash (renders \u202e); a code span keeps it literal
check "$WORK/scan.md" 'pay\\u202eslov' '`service:app/pay\u202eslov`' 'pay#92;u202eslov'
run_bounded 60 "$TRUSTMAP" paths --from "workload:app/pay$(printf '\342\200\256')slov" "$sys"
expect_exit 0
cp "$WORK/out" "$WORK/paths.txt"
check "$WORK/paths.txt" 'from workload:app/pay\u202eslov: '
exit 0
