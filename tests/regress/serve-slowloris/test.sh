# 40 connections sending their headers a byte at a time starved every other client of `trustmap
# serve` for as long as they lasted (16 per address and 32 in all, each kept alive by the 15 s idle
# timeout), and a body sent at 1 byte/s held its connection past 35 s. Now: with 40 slow-header
# connections open, a legitimate GET / answers within 2 s; a slow header is cut by its deadline
# (5 s after accepting) and a slow body by its own (15 s), measured here with 3 s of slack.
. "$(dirname "$0")/../lib.sh"
export PYTHONPATH="$CASE/../../e2e"
timeout --signal=KILL 100 python3 - "$TRUSTMAP" "$CASE/../../../examples/shop" "$WORK" <<'PY' || fail "see above"
import socket, sys, threading, time
from serve_http import Server, fail, parse, read_all

tm, root, work = sys.argv[1:4]
HEADER_S, BODY_S, SLACK = 5, 15, 3
s = Server(tm, root, work)
s.get("/")  # the first layout is not what is measured
results = {}

def dribble(name, head, limit):
    """Sends head at once, then a byte a second; records when the server closed the connection."""
    c = s.connect(timeout=limit + 10)
    t0 = time.monotonic()
    try:
        c.sendall(head)
        c.settimeout(1.0)
        while time.monotonic() - t0 < limit + SLACK + 2:
            c.sendall(b"a")
            try:
                if c.recv(4096) == b"":
                    break
            except socket.timeout:
                pass
    except OSError:
        pass
    finally:
        results[name] = time.monotonic() - t0
        c.close()

body = threading.Thread(target=dribble, args=("body", (
    f"POST /decide HTTP/1.1\r\nHost: {s.host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    f"Content-Length: 1000\r\n\r\n").encode(), BODY_S))  # under the 16 KiB limit: only the deadline cuts it
header = threading.Thread(target=dribble, args=("header", b"GET / HTTP/1.1\r\nX-Slow: ", HEADER_S))
slow = []
for i in range(40):
    try:
        c = s.connect(timeout=5)
        c.sendall(b"G")
        slow.append(c)
    except OSError:
        pass
time.sleep(0.5)
for c in slow:  # still sending: never idle
    try:
        c.sendall(b"E")
    except OSError:
        pass
t0 = time.monotonic()
try:
    status, _, page = s.get("/", timeout=10)
except OSError as e:
    status, page = 0, str(e).encode()
legit = time.monotonic() - t0
for c in slow:
    c.close()
body.start()  # after the crowd, or it would be evicted to make room (the oldest pending goes first)
header.start()
body.join(BODY_S + SLACK + 15)
header.join(5)
err = s.stop()
print(f"legitimate GET / with 40 slow-header connections open: {status} in {legit:.3f} s; "
      f"slow header cut after {results.get('header', -1):.1f} s, slow body after {results.get('body', -1):.1f} s")
if status != 200 or legit > 2:
    fail(f"the legitimate request got {status} after {legit:.1f} s (want 200 within 2 s)")
if results.get("header", 99) > HEADER_S + SLACK:
    fail(f"a header sent a byte a second lasted {results.get('header')} s (deadline {HEADER_S} s)")
if results.get("body", 99) > BODY_S + SLACK:
    fail(f"a body sent a byte a second lasted {results.get('body')} s (deadline {BODY_S} s)")
PY
