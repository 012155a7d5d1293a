#!/usr/bin/env bash
# Reports do not depend on how many threads ran or on the parse cache: the example, a generated estate
# of 60 services, and corpus systems when present are scanned (JSON, Markdown, SARIF) with
# TRUSTMAP_JOBS=1 and 4, without a cache, with a cold one and with a warm one: every report
# byte-identical; the warm run hits for every file and writes none; files known on disk (unchanged
# since a run recorded them) load without being read, and one changed in place is read again; diff
# gives the same review.
# usage: jobs_cache.sh TRUSTMAP SOURCE_DIR [CORPUS_DIR]
set -euo pipefail
tm="$1"; src="$2"; corpus="${3:-}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
python3 "$src/bench/estate.py" 60 "$work/estate" >/dev/null
dirs=("$src/examples/shop" "$work/estate")
for sys in online-boutique deathstarbench openapi-vendors/stripe; do
  [ -n "$corpus" ] && [ -d "$corpus/$sys" ] && dirs+=("$corpus/$sys")
done
[ ${#dirs[@]} -gt 2 ] || echo "note: corpus not found at '${corpus}': scanning the example and the estate only"
for d in "${dirs[@]}"; do
  name=$(basename "$d")
  for fmt in json md sarif; do
    TRUSTMAP_JOBS=1 "$tm" scan "$d" --no-store --no-cache -f $fmt -o "$work/$name.ref.$fmt" 2>/dev/null || true
    TRUSTMAP_JOBS=4 "$tm" scan "$d" --no-store --no-cache -f $fmt -o "$work/$name.j4.$fmt" 2>/dev/null || true
    cmp -s "$work/$name.ref.$fmt" "$work/$name.j4.$fmt" || bad "$name $fmt: 1 and 4 threads differ"
    for run in cold warm; do
      "$tm" scan "$d" --no-store --cache "$work/cache" -f $fmt -o "$work/$name.$run.$fmt" 2>/dev/null || true
      cmp -s "$work/$name.ref.$fmt" "$work/$name.$run.$fmt" || bad "$name $fmt: the $run cache changes the report"
    done
  done
done
# a warm cache: no entry written on a rescan (every file a hit), and deleting it loses nothing
before=$(find "$work/cache" -type f | wc -l)
"$tm" scan "$src/examples/shop" --no-store --cache "$work/cache" -f json -o "$work/again.json" 2>/dev/null || true
[ "$(find "$work/cache" -type f | wc -l)" = "$before" ] || bad "a warm rescan wrote cache entries"
rm -rf "$work/cache"
"$tm" scan "$src/examples/shop" --no-store --cache "$work/cache" -f json -o "$work/fresh.json" 2>/dev/null || true
cmp -s "$work/shop.ref.json" "$work/fresh.json" || bad "a deleted cache changes the report"
# files known on disk: once a file has settled (its change time 2 s behind the run) a run records
# it, and the next loads its entry without reading it; a file changed in place, its size and
# modification time put back, is read again (its change time moved)
cp -r "$src/examples/shop" "$work/known"
"$tm" scan "$work/known" --no-store --no-cache -f json -o "$work/known.ref.json" 2>/dev/null || true
sleep 2.2
for run in records known; do
  "$tm" scan "$work/known" --no-store --cache "$work/kcache" -f json -o "$work/known.$run.json" 2>/dev/null || true
  cmp -s "$work/known.ref.json" "$work/known.$run.json" || bad "files known: the $run run changes the report"
done
[ -s "$work/kcache/files" ] || bad "files known: no record of the files was kept"
# known files are loaded from their entries: not one byte of an API spec or manifest is read (the
# overlay and CODEOWNERS are read raw, as ever)
if command -v strace >/dev/null 2>&1; then
  strace -f -y -e trace=read -o "$work/known.trace" \
    "$tm" scan "$work/known" --no-store --cache "$work/kcache" -f json -o /dev/null 2>/dev/null || true
  if [ -s "$work/known.trace" ]; then
    grep -E "read\([0-9]+<$work/known/[^>]*\.(yaml|yml|json)>" "$work/known.trace" | grep -v "/trustmap.yaml>" \
      && bad "files known: a known file was read"
  else
    echo "note: strace gave no trace here (no ptrace?): not checking that known files are not read"
  fi
else
  echo "note: strace not found: not checking that known files are not read"
fi
python3 - "$work/known/k8s/orders.yaml" <<'PY'
import os, sys
p = sys.argv[1]
st = os.stat(p)
s = open(p).read()
assert "orders:2.3.1" in s
open(p, "w").write(s.replace("orders:2.3.1", "orders:2.3.9", 1))
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
"$tm" scan "$work/known" --no-store --no-cache -f json -o "$work/known.ref2.json" 2>/dev/null || true
"$tm" scan "$work/known" --no-store --cache "$work/kcache" -f json -o "$work/known.changed.json" 2>/dev/null || true
cmp -s "$work/known.ref2.json" "$work/known.changed.json" || bad "files known: a file changed in place was not read again"
grep -q "orders:2.3.9" "$work/known.changed.json" || bad "files known: the changed image is not in the report"
# diff: the two sides side by side give the review one thread gives
cp -r "$src/examples/shop" "$work/head"
python3 - "$work/head/k8s/orders.yaml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
# the pod joins the node's process namespace: a new critical finding
s = re.sub(r"^( +)serviceAccountName: ", lambda m: m.group(1) + "hostPID: true\n" + m.group(0), s, count=1, flags=re.M)
open(p, "w").write(s)
PY
TRUSTMAP_JOBS=1 "$tm" diff "$src/examples/shop" "$work/head" --no-store --no-cache -f json -o "$work/d1.json" 2>/dev/null || true
"$tm" diff "$src/examples/shop" "$work/head" --no-store --cache "$work/cache" -f json -o "$work/d4.json" 2>/dev/null || true
cmp -s "$work/d1.json" "$work/d4.json" || bad "diff: threads or cache change the review"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["findings_new"] else 1)' "$work/d1.json" \
  || bad "diff: hostPID is no new finding"
echo "${#dirs[@]} systems; $fails failure(s)"
[ $fails -eq 0 ]
