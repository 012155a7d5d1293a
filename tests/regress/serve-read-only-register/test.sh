# `serve --read-only` opened the register for writing, so on a read-only file system (a register
# mounted read-only to show it) it exited 4 without serving. It now opens the register read-only.
# The read-only file system is a read-only bind mount in a private mount namespace; without one the
# case skips.
. "$(dirname "$0")/../lib.sh"
export TRUSTMAP_STORE=tree # the register in the tree (.trustmap/trustmap.db), so the read-only mount covers it
sys="$WORK/sys"
mkdir -p "$sys"
cp "$CASE/app.yaml" "$sys/"
run_bounded 60 "$TRUSTMAP" scan "$sys" -o /dev/null
expect_exit 0
[ -f "$sys/.trustmap/trustmap.db" ] || fail "the first scan recorded no register"

need_ro_mount "$sys"

# serve read-only on the read-only tree, fetch the page once, stop
cat >"$WORK/ro.py" <<'PY'
import re, subprocess, sys, time, urllib.request
tm, sysdir = sys.argv[1], sys.argv[2]
p = subprocess.Popen([tm, "serve", sysdir, "--read-only", "--listen", "127.0.0.1:0"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
url, err, deadline = None, "", time.time() + 30
while time.time() < deadline and not url:
    line = p.stderr.readline()
    if not line:
        break
    err += line
    m = re.search(r"serving (http://[^/\s]+)/", line)
    url = m.group(1) if m else None
if not url:
    p.kill()
    print("serve did not start (exit %s): %s" % (p.wait(), err), file=sys.stderr)
    sys.exit(1)
page = urllib.request.urlopen(url + "/", timeout=30).read().decode()
p.terminate()
p.wait(timeout=10)
sys.exit(0 if "Threat model" in page or "trustmap" in page else 1)
PY
cat >"$WORK/ro.sh" <<'SH'
set -u
mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 99
python3 "$3" "$2" "$1"
SH
rc=0
timeout --signal=KILL 90 "${ns[@]}" bash "$WORK/ro.sh" "$sys" "$TRUSTMAP" "$WORK/ro.py" 2>"$WORK/err" || rc=$?
if grep -q 'ERROR: AddressSanitizer\|runtime error:' "$WORK/err"; then cat "$WORK/err" >&2; fail "sanitizer report"; fi
[ "$rc" = 0 ] || { cat "$WORK/err" >&2; fail "serve --read-only on a read-only register: exit $rc"; }
exit 0
