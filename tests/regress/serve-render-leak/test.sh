# `trustmap serve` grew by about 40 KB with every GET / (RSS 56 -> 102 MB after 500 requests):
# Graphviz 2.42's dot layout leaks the virtual nodes and edges it makes for clusters, and the model
# page laid the diagram out again for every request. 2,000 requests (the model, the register and
# the history in turn) must leave the resident set flat: under 4 MiB of growth between request 500
# and request 2,000 (the old rate: 19 MiB). Under AddressSanitizer the same, with its quarantine of
# freed memory turned off (it would grow the resident set by itself); LeakSanitizer then checks the
# server's exit against tests/lsan.supp.
. "$(dirname "$0")/../lib.sh"
export PYTHONPATH="$CASE/../../e2e"
timeout --signal=KILL 110 python3 - "$TRUSTMAP" "$CASE/../../../examples/shop" "$WORK" <<'PY' || fail "see above"
import os, sys, time
from serve_http import Server, fail, sanitized

tm, root, work = sys.argv[1:4]
asan = sanitized(tm)
if asan:
    os.environ["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=0"
total, mark, limit_kb = 2000, 500, 4096
s = Server(tm, root, work)
paths = ["/", "/register", "/history"]
start = time.monotonic()
rss = {}
for i in range(1, total + 1):
    if time.monotonic() - start > 90:
        s.stop()
        fail(f"only {i} requests in 90 s")
    status, _, body = s.get(paths[i % 3])
    if status != 200 or not body:
        s.stop()
        fail(f"request {i} ({paths[i % 3]}): status {status}")
    if i in (mark, total):
        rss[i] = s.rss_kb()
s.stop()
grew = rss[total] - rss[mark]
print(f"RSS after {mark} requests: {rss[mark]} KiB, after {total}: {rss[total]} KiB "
      f"(+{grew} KiB), {time.monotonic() - start:.1f} s{' (ASan)' if asan else ''}")
if grew > limit_kb:
    fail(f"serve grew by {grew} KiB between request {mark} and {total} (limit {limit_kb} KiB): a leak per request")
PY
