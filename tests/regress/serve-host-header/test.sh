# `trustmap serve` answered a request with two Host headers when ours came first (it looked at the
# first only); HTTP/1.1 says 400. Duplicate or conflicting Host headers, a missing one, and an
# absolute-form target whose authority is not the Host are now refused with 400.
. "$(dirname "$0")/../lib.sh"
export PYTHONPATH="$CASE/../../e2e"
timeout --signal=KILL 60 python3 - "$TRUSTMAP" "$CASE/../../../examples/shop" "$WORK" <<'PY' || fail "see above"
import sys
from serve_http import Server, fail

tm, root, work = sys.argv[1:4]
s = Server(tm, root, work)
H = s.host

def ask(target, *host_lines):
    head = f"GET {target} HTTP/1.1\r\n" + "".join(f"Host: {h}\r\n" for h in host_lines) + "Connection: close\r\n\r\n"
    return s.raw(head.encode())[0]

cases = [  # (what, target, Host headers, statuses allowed)
    ("ours", "/history", [H], {200}),
    ("ours first, another second", "/history", [H, "evil.example"], {400}),
    ("another first, ours second", "/history", ["evil.example", H], {400}),
    ("ours twice", "/history", [H, H], {400}),
    ("none", "/history", [], {400}),
    ("absolute form naming us", f"http://{H}/history", [H], {200}),
    ("absolute form naming another host", "http://evil.example/history", [H], {400}),
    ("absolute form naming another port", "http://127.0.0.1:1/history", [H], {400}),
]
bad = []
for what, target, hosts, allowed in cases:
    got = ask(target, *hosts)
    if got not in allowed:
        bad.append(f"{what} ({target}, Host: {hosts}): {got}, want {sorted(allowed)}")
s.stop()
if bad:
    fail("\n  ".join(["Host checks:"] + bad))
print(f"{len(cases)} Host cases answered as they should")
PY
