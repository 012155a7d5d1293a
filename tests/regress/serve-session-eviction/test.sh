# `trustmap serve` kept sessions in a 256-slot table and gave every cookie-less request a new one,
# evicting the least recently used: 300 anonymous requests pushed a user's session out, and the form
# they had open was refused (403). The CSRF token is now HMAC(server secret, session id), so there is
# no table to push anyone out of. Here: a page, its cookie and token; 300 cookie-less requests; the
# form post still records its decision. A token is only good with its own session's cookie.
. "$(dirname "$0")/../lib.sh"
export PYTHONPATH="$CASE/../../e2e"
timeout --signal=KILL 100 python3 - "$TRUSTMAP" "$CASE/../../../examples/shop" "$WORK" <<'PY' || fail "see above"
import re, sys, time, urllib.parse
from serve_http import Server, fail

tm, root, work = sys.argv[1:4]
s = Server(tm, root, work)

def bail(msg):
    s.stop()
    fail(msg)

status, headers, page = s.get("/register")
cookie = re.match(r"(tm_session=[0-9a-f]+)", headers.get("set-cookie", ""))
csrf = re.search(rb'name="csrf" value="([0-9a-f]+)"', page)
fp = re.search(rb'name="fp" value="([0-9a-f]+)"', page)
if status != 200 or not cookie or not csrf or not fp:
    bail(f"GET /register: status {status}, cookie {headers.get('set-cookie')!r}, a form: {bool(csrf and fp)}")
cookie, csrf, fp = cookie.group(1), csrf.group(1).decode(), fp.group(1).decode()

start = time.monotonic()
for i in range(300):
    st, h, _ = s.get(["/", "/register", "/history"][i % 3])
    if st != 200:
        bail(f"cookie-less request {i}: status {st}")
    if time.monotonic() - start > 60:
        bail("300 requests took over 60 s")

def post(cookie_header, token):
    form = urllib.parse.urlencode({"csrf": token, "fp": fp, "action": "mitigated", "owner": "team-regress",
                                   "why": "serve-session-eviction", "back": "/register"}).encode()
    h = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://{s.host}"}
    if cookie_header:
        h["Cookie"] = cookie_header
    return s.get("/decide", h, method="POST", body=form)

# someone else's session with our token, and no session at all: refused
st, _, body = s.get("/register")
other = re.match(r"(tm_session=[0-9a-f]+)", _.get("set-cookie", ""))
if not other or other.group(1) == cookie:
    bail("a second cookie-less request did not get a session of its own")
st, _, body = post(other.group(1), csrf)
if st != 403:
    bail(f"a token posted with another session's cookie: {st}, want 403")
st, _, body = post(None, csrf)
if st != 403:
    bail(f"a token posted without a cookie: {st}, want 403")

st, h, body = post(cookie, csrf)
if st != 303:
    bail(f"the form post after 300 cookie-less requests: {st} {body[:100]!r}, want 303")
st, _, page = s.get("/register", {"Cookie": cookie})
if st != 200 or b"Recorded" not in page:
    bail(f"the register after the post: {st}, no 'Recorded' notice")
s.stop()
print("the session survived 300 cookie-less requests; its form post was recorded")
PY
