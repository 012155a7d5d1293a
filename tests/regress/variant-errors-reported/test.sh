# aks-store-demo: five overlays whose configMapGenerator reads a .env that is not committed failed to
# build, and no one was told: stderr printed the first variant's diagnostics only, and the Markdown
# report said "0 errors". Now stderr prints each other variant's own warnings and errors under its
# name, and the report's variants table counts each one's errors.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format md --no-store --no-cache
expect_exit 0 1
grep -q "in variant '.*broken'" "$WORK/err" || fail "the broken overlay's variant is not named on stderr: $(cat "$WORK/err")"
grep -q "overlays/broken/kustomization.yaml:.*cannot read .env" "$WORK/err" || fail "its error is not on stderr: $(cat "$WORK/err")"
grep -Eq '^\| `[^`]*overlays/broken` \| [0-9]+ \| [0-9]+ \| [0-9]+ \| 1 \|$' "$WORK/out" ||
  fail "the variants table does not count its error: $(grep -A8 '^| variant' "$WORK/out")"
# paths walks the primary variant only: when it finds nothing there, it says the others were not walked
run_bounded 60 "$TRUSTMAP" paths "$CASE/in" --from internet --no-store --no-cache
expect_exit 0
grep -q "walked variant 'overlays/prod', the primary of the inputs' deployment variants; the others were not walked" "$WORK/err" ||
  fail "paths does not say which variant it walked: $(cat "$WORK/err")"
