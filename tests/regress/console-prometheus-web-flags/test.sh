# Prometheus' command line was not read: --web.enable-lifecycle and --web.enable-admin-api (anyone
# reaching it shuts it down, deletes series) left the console finding at medium, and
# --web.config.file (its users or client certificates) did not quiet it. Now the APIs that write
# make it high, with what they allow said, a web configuration quiets it (its users are not
# checked), and a plain Prometheus stays medium.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --no-store --no-cache --format json
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import sys
import regress
rows = regress.rows(regress.findings(*sys.argv[1:]), "TM-MESH-012")
assert sorted(rows) == ["metrics", "metrics-admin", "metrics-plain"], sorted(rows)
assert rows["metrics"][0] == "high" and "shutting it down" in rows["metrics"][1], rows
assert rows["metrics-admin"][0] == "high", rows
assert rows["metrics-plain"][0] == "medium" and "shutting" not in rows["metrics-plain"][1], rows
PY
