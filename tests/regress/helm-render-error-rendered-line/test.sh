# robot-shop: a chart whose values lack image.version rendered `image: repo/name:` and failed with
# "invalid nested block mapping on the same line" at a column of the rendered line drawn under the
# template's text: nothing said the value had rendered empty. The message now quotes the line as the
# template rendered it; and the report says the model is incomplete.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format summary --no-store --no-cache
expect_exit 0 1
grep -q 'deploy.yaml:14:.*(the template rendered the line as `image: registry.example/shop-catalogue:`)' "$WORK/err" ||
  fail "the rendered line is not quoted: $(cat "$WORK/err")"
grep -q '^  incomplete   1 input file did not render or parse' "$WORK/out" || fail "the summary does not say the model is incomplete: $(cat "$WORK/out")"
