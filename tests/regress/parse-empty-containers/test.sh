# An empty map or sequence applied a zero offset to a NULL scratch pointer (yaml.c
# close_container; undefined behaviour that clang's UBSan reports). The inputs here are also fuzz
# seeds, so the clang fuzz-smoke build replays them.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json
expect_exit 0 1
exit 0
