# The Markdown report freed an uninitialised diagram when the system had no modelled nodes
# (a folder of ConfigMaps): SIGSEGV or munmap_chunk(): invalid pointer.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/configmaps" --format md
expect_exit 0
grep -q . "$WORK/out" || fail "empty Markdown report"
