"""Helpers for the tests of `trustmap serve` over raw sockets (tests/regress/serve-*/test.sh).

Every test talks only to 127.0.0.1, bounds every wait, and stops the server it started.
"""
import os
import re
import socket
import subprocess
import sys
import time


def fail(msg):
    print(f"regress: {msg}", file=sys.stderr)
    sys.exit(1)


class Server:
    """`trustmap serve ROOT --listen 127.0.0.1:0 --store STORE`, scanned first so the register exists."""

    def __init__(self, tm, root, work, *extra):
        store = os.path.join(work, "register.db")
        env = dict(os.environ, TRUSTMAP_STORE="none")
        if not os.path.exists(store):
            r = subprocess.run([tm, "scan", root, "--store", store], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=120)
            if r.returncode not in (0, 1):
                fail(f"scan exited {r.returncode}: {r.stderr.decode(errors='replace')}")
        self.errlog = open(os.path.join(work, "serve.err"), "w+b")
        self.proc = subprocess.Popen([tm, "serve", root, "--listen", "127.0.0.1:0", "--store", store, *extra],
                                     env=env, stdout=subprocess.DEVNULL, stderr=self.errlog)
        self.port = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.port is None:
            if self.proc.poll() is not None:
                fail(f"serve exited {self.proc.returncode}: {self.stderr()}")
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", self.stderr())
            if m:
                self.port = int(m.group(1))
            else:
                time.sleep(0.05)
        if self.port is None:
            self.stop()
            fail("serve did not start within 60 s")
        self.host = f"127.0.0.1:{self.port}"

    def stderr(self):
        self.errlog.flush()
        self.errlog.seek(0)
        return self.errlog.read().decode(errors="replace")

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return -1

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        """Stops the server (SIGTERM, then SIGKILL after 20 s); returns its stderr."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        err = self.stderr()
        if re.search(r"ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:", err):
            fail("sanitizer report from serve:\n" + err)
        return err

    def connect(self, timeout=10):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def raw(self, data, timeout=10):
        """Sends data on a fresh connection and reads until the server closes: (status, headers, body)."""
        s = self.connect(timeout)
        try:
            s.sendall(data)
            return parse(read_all(s, timeout))
        finally:
            s.close()

    def get(self, path, headers=None, method="GET", body=b"", timeout=10):
        h = {"Host": self.host, "Connection": "close"}
        h.update(headers or {})
        if body:
            h["Content-Length"] = str(len(body))
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + "\r\n"
        return self.raw(head.encode() + body, timeout)


def read_all(s, timeout):
    deadline = time.monotonic() + timeout
    data = b""
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    return data


def parse(data):
    """(status, {lowercased header: value}, body); status 0 when nothing came back."""
    if not data:
        return 0, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    status = int(m.group(1)) if m else -1
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.setdefault(k.strip().lower(), v.strip())
    return status, headers, body


def sanitized(tm):
    """True when the binary is built with AddressSanitizer (it links libasan, or is static with it)."""
    try:
        out = subprocess.run(["ldd", tm], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = b""
    if b"libasan" in out:
        return True
    with open(tm, "rb") as f:
        return b"__asan_init" in f.read()
