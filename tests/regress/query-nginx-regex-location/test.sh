# nginx: a regular-expression location was kept apart from the paths of its upstream's other
# locations and never asked, so `query` answered 404 for the path only the regex serves (an event
# ingestion endpoint, /api/12/envelope/). Regex locations are evaluated now (PCRE's \d \w \s
# written out for POSIX; what POSIX cannot say is undecided and takes the path, as before).
. "$(dirname "$0")/../lib.sh"
q() { run_bounded 60 "$TRUSTMAP" query can internet "$1" --method POST --path "$2" "$CASE/in" --no-cache; head -1 "$WORK/out"; }
[ "$(q default/ingest /api/12/envelope/ | cut -c1-5)" = "ALLOW" ] || fail "regex location not taken: $(q default/ingest /api/12/envelope/)"
[ "$(q default/ingest /api/store/ | cut -c1-5)" = "ALLOW" ] || fail "prefix location lost"
[ "$(q default/ingest /api/abc/envelope/ | cut -c1-4)" = "DENY" ] || fail "a path neither location serves: $(q default/ingest /api/abc/envelope/)"
# (?:...) is PCRE only: not decided, so the route takes the path rather than deny it
[ "$(q default/app /logo.gif | cut -c1-5)" = "ALLOW" ] || fail "undecided pattern refused"
exit 0
