# A register on a read-only file system could not even be read: `findings`, `history` and `scan` exited 4
# ("unable to open database file"), because SQLite's WAL mode wants to create the -shm file beside the
# database. Reading commands now open the file read-only (immutable when nothing can write it), and `scan`
# settles decisions from the register but does not record, and says so.
# The read-only file system is a read-only bind mount in a private mount namespace (root ignores
# permission bits, so chmod would prove nothing); without one the case skips.
. "$(dirname "$0")/../lib.sh"
export TRUSTMAP_STORE=tree # the register in the tree (.trustmap/trustmap.db), so the read-only mount covers it
sys="$WORK/sys"
mkdir -p "$sys"
cp "$CASE/app.yaml" "$sys/"

# a register with one run and one decision, written while the tree is writable
run_bounded 60 "$TRUSTMAP" scan "$sys" --format json -o "$WORK/first.json"
expect_exit 0
[ -f "$sys/.trustmap/trustmap.db" ] || fail "the first scan recorded no register"
fp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["findings"][0]["fingerprint"])' "$WORK/first.json")
run_bounded 60 "$TRUSTMAP" accept "$fp" --owner team-web --until 2099-12-31 --why "accepted for the test" "$sys"
expect_exit 0

need_ro_mount "$sys"

# everything below runs with $sys read-only; each command's exit code, stdout and stderr land in $WORK
cat >"$WORK/ro.sh" <<'SH'
set -u
sys="$1"; tm="$2"; out="$3"
mount --bind "$sys" "$sys" && mount -o remount,bind,ro "$sys" || exit 99
run() { local name="$1"; shift; "$tm" "$@" >"$out/$name.out" 2>"$out/$name.err"; echo $? >"$out/$name.rc"; }
run findings findings "$sys" --status all --format json
run history history "$sys" --format json
run scan scan "$sys" --format json
SH
rm -rf "$WORK/ro"; mkdir -p "$WORK/ro"
timeout --signal=KILL 120 "${ns[@]}" bash "$WORK/ro.sh" "$sys" "$TRUSTMAP" "$WORK/ro" || fail "the read-only run did not complete"

for c in findings history scan; do
  rc=$(cat "$WORK/ro/$c.rc")
  if grep -q 'ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer' "$WORK/ro/$c.err"; then
    cat "$WORK/ro/$c.err" >&2; fail "$c: sanitizer report"
  fi
  [ "$rc" = 0 ] || { cat "$WORK/ro/$c.err" >&2; fail "$c on a read-only register: exit $rc, expected 0"; }
done
grep -q "\"$fp\"" "$WORK/ro/findings.out" || fail "findings on a read-only register does not list $fp"
grep -q '"command": "scan"' "$WORK/ro/history.out" || fail "history on a read-only register lists no run"
grep -q "not recording this run" "$WORK/ro/scan.err" || { cat "$WORK/ro/scan.err" >&2; fail "scan does not say it is not recording"; }
# the scan still read the register: the decision is in force
python3 - "$WORK/ro/scan.out" "$fp" <<'PY' || fail "scan on a read-only register did not apply the register's decision"
import json, sys
f = {x["fingerprint"]: x for x in json.load(open(sys.argv[1]))["findings"]}
d = f[sys.argv[2]].get("decision") or {}
sys.exit(0 if d.get("source") == "store" and d.get("status") == "accepted" else 1)
PY
# and recorded nothing: one run still
run_bounded 60 "$TRUSTMAP" history "$sys" --format json
expect_exit 0
python3 - "$WORK/out" <<'PY' || fail "the read-only scan was recorded"
import json, sys
h = json.load(open(sys.argv[1]))
sys.exit(0 if len(h["runs"]) == 1 else 1)
PY
exit 0
