# `trustmap serve` served /register%00.html as /register: it routed on MHD's decoded URL, a C string
# that stops at the encoded NUL. The raw request target is now checked before routing: an encoded
# NUL or control byte, a raw control byte, a bad escape or a dot segment (also escaped) is refused
# with 400, and the decoded path is compared with its full length.
. "$(dirname "$0")/../lib.sh"
export PYTHONPATH="$CASE/../../e2e"
timeout --signal=KILL 60 python3 - "$TRUSTMAP" "$CASE/../../../examples/shop" "$WORK" <<'PY' || fail "see above"
import sys
from serve_http import Server, fail

tm, root, work = sys.argv[1:4]
s = Server(tm, root, work)

def ask(target):
    return s.raw(b"GET " + target + b" HTTP/1.1\r\nHost: " + s.host.encode() + b"\r\nConnection: close\r\n\r\n")[0]

refused = {400, 404}
cases = [(b"/register", {200}), (b"/%72egister", {200}), (b"/register?x=1", {200}),
         (b"/register%00.html", refused), (b"/register%00", refused), (b"/%00", refused),
         (b"/register\x00.html", refused), (b"/register%0a", refused), (b"/register%7f", refused),
         (b"/regis\x01ter", refused), (b"/reg%zzister", refused), (b"/register%2", refused),
         (b"/./register", refused), (b"/x/../register", refused), (b"/x/%2e%2e/register", refused),
         (b"/x/%2E%2E/register", refused), (b"/%2e/register", refused), (b"/register/.", refused),
         (b"/register/..", refused), (b"/..", refused)]
bad = []
for target, allowed in cases:
    got = ask(target)
    if got not in allowed:
        bad.append(f"{target!r}: {got}, want one of {sorted(allowed)}")
s.stop()
if bad:
    fail("\n  ".join(["request targets:"] + bad))
print(f"{len(cases)} request targets answered as they should")
PY
