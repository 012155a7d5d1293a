# A file or folder name that is not UTF-8 made the JSON, SARIF, OTM and Markdown reports invalid
# UTF-8 (the writers passed its bytes through), and the summary printed a raw 0x9b, which a terminal
# in an 8-bit locale reads as CSI. Every writer must emit valid UTF-8: a byte that is not UTF-8 is
# U+FFFD (one per byte) in every format, percent-encoded in a SARIF uri.
. "$(dirname "$0")/../lib.sh"
bad=$(printf '\377\376')                 # 0xFF 0xFE: never UTF-8
csi=$(printf '\233')                     # 0x9B alone: not UTF-8, CSI to an 8-bit terminal
sys="$WORK/sys${csi}2J${bad}"
mkdir -p "$sys/sub${bad}"
cp "$CASE/app.yaml" "$sys/a${bad} b${csi}.yaml"
cp "$CASE/app.yaml" "$sys/sub${bad}/c.yaml"
store="sqlite:$WORK/tm.db"

utf8_with_fffd() {
  expect_valid_utf8 "$1"
  python3 -c 'import sys; t = open(sys.argv[1], "rb").read().decode("utf-8"); sys.exit(0 if "\ufffd" in t else 1)' "$1" \
    || fail "$1: no U+FFFD where the name's invalid bytes were"
}

for fmt in json sarif md html otm summary dot mermaid; do
  run_bounded 60 "$TRUSTMAP" scan "$sys" --format "$fmt" --no-store
  expect_exit 0
  cp "$WORK/out" "$WORK/scan.$fmt"
  expect_valid_utf8 "$WORK/scan.$fmt"
done
for fmt in json md html otm summary; do utf8_with_fffd "$WORK/scan.$fmt"; done
# SARIF keeps the name: percent-encoded in the uri
grep -q '"uri": "a%FF%FE%20b%9B.yaml"' "$WORK/scan.sarif" || fail "the SARIF uri does not percent-encode the name's bytes"
# the summary's title line shows the folder name's bad bytes as U+FFFD, the CSI byte is gone (the
# two copies of app.yaml make two deployment variants: the title goes on with the variant's name)
head -n 1 "$WORK/scan.summary" | grep -q $'sys\xef\xbf\xbd2J\xef\xbf\xbd\xef\xbf\xbd: ' \
  || fail "summary title: $(head -n 1 "$WORK/scan.summary" | od -c | head -n 3)"

# the register's exports
run_bounded 60 "$TRUSTMAP" scan "$sys" --store "$store" --format json
expect_exit 0
for fmt in csv md json; do
  run_bounded 60 "$TRUSTMAP" findings "$sys" --store "$store" --status all --format "$fmt"
  expect_exit 0
  cp "$WORK/out" "$WORK/findings.$fmt"
  utf8_with_fffd "$WORK/findings.$fmt"
  run_bounded 60 "$TRUSTMAP" history "$sys" --store "$store" --format "$fmt"
  expect_exit 0
  cp "$WORK/out" "$WORK/history.$fmt"
  expect_valid_utf8 "$WORK/history.$fmt"
done
exit 0
