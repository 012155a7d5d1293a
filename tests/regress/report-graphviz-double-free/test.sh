# Graphviz 2.42's dot frees memory twice when it routes labelled edges between clusters: three
# namespaces whose services call across them, and an nginx edge proxy (the shape bench/estate.py
# writes for 4 to 100 services), aborted the whole scan in `--format html` and `--format svg`
# ("libpath/shortest.c: triangulation failed", then "double free detected"). The layout now runs
# in a child process; when that child dies the diagram is laid out again with the edges' labels as
# external labels. The report must come back whole, with its diagram and its edge labels, and none
# of Graphviz's messages on stderr.
. "$(dirname "$0")/../lib.sh"
sys="$WORK/sys"
mkdir -p "$sys"
cp -r "$CASE/team-1" "$CASE/team-2" "$CASE/team-3" "$sys/"
for fmt in html svg; do
  run_bounded 60 "$TRUSTMAP" scan "$sys" --format "$fmt" --no-store --no-cache
  expect_exit 0
  grep -q '<svg' "$WORK/out" || fail "$fmt: no diagram in the report"
  grep -q '>calls<' "$WORK/out" || fail "$fmt: the diagram lost its edge labels"
  if grep -q 'triangulation\|double free\|Graphviz' "$WORK/err"; then
    cat "$WORK/err" >&2
    fail "$fmt: Graphviz's messages reached stderr"
  fi
  expect_valid_utf8 "$WORK/out"
done
# started with SIGCHLD ignored (a disposition a daemon may pass on): the child is reaped by the
# kernel and waitpid finds none; a whole SVG still counts
run_bounded 60 bash -c 'trap "" CHLD; exec "$@"' _ "$TRUSTMAP" scan "$sys" --format svg --no-store --no-cache
expect_exit 0
grep -q '</svg>' "$WORK/out" || fail "SIGCHLD ignored: no diagram"
