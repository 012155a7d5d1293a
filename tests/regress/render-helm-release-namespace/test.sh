# A chart whose objects go to .Release.Namespace (through a _helpers.tpl define, as common charts
# write it) or carry no namespace (helm installs them into the release's) was rendered into
# "default" with nothing saying so, and nothing could name the namespace a release is installed
# into: every team's release landed in one namespace. Now the render into "default" is a note at
# the chart saying what was assumed and how to name the namespace, and an overlay system's
# `namespace:` renders the chart into it (helm template --namespace) and places the objects without
# one there; a namespace that is no DNS label is a warning at the overlay (the render goes to
# "default", said).
. "$(dirname "$0")/../lib.sh"
mkdir -p "$WORK/repo"
cp -r "$CASE/chart" "$WORK/repo/"

# expect REPORT NS NOTE WHAT: the services web, api, worker (an empty namespace) and batch (a List's
# item) are in namespace NS and none elsewhere; NOTE: the note says so (1: three objects without a
# namespace, templates reading .Release.Namespace) or is absent (0)
expect() {
  python3 - "$1" "$2" "$3" <<'PY' || fail "$4 (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
nodes = {n["id"] for n in j["model"]["nodes"]}
notes = [d for d in j["diagnostics"] if "installed into" in d["message"] and d["path"] == "chart/Chart.yaml"]
want = {"service:%s/%s" % (sys.argv[2], n) for n in ("web", "api", "worker", "batch")}
ok = want == {n for n in nodes if n.startswith("service:")}
if not ok:
    print("want %s; services: %s" % (sorted(want), sorted(n for n in nodes if n.startswith("service:"))), file=sys.stderr)
if sys.argv[3] == "1":
    m = notes[0]["message"] if notes else ""
    if not notes or notes[0]["severity"] != "note" or "default" not in m or "namespace: ..." not in m \
            or "3 without metadata.namespace" not in m or ".Release.Namespace" not in m:
        print("want one note at chart/Chart.yaml naming default and the overlay's namespace: key; diagnostics: %s"
              % j["diagnostics"], file=sys.stderr)
        ok = False
elif notes:
    print("a namespace was named, yet: %s" % notes, file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
PY
}

# scan_with [NAMESPACE]: the repository scanned, its overlay's system naming NAMESPACE (none: no overlay)
scan_with() {
  rm -f "$WORK/repo/trustmap.yaml"
  [ $# -eq 0 ] || printf 'systems:\n  - {name: prod, include: ["chart/*"], namespace: %s}\n' "$1" >"$WORK/repo/trustmap.yaml"
  run_bounded 60 "$TRUSTMAP" scan "$WORK/repo" --format json --no-store
  expect_exit 0 1
}

scan_with
expect "$WORK/out" default 1 "without a namespace: default, said"
scan_with shop
expect "$WORK/out" shop 0 "the system's namespace"
scan_with Bad_NS
python3 - "$WORK/out" <<'PY' || fail "a namespace that is no DNS label is not a warning at trustmap.yaml"
import json, sys
j = json.load(open(sys.argv[1]))
bad = [d for d in j["diagnostics"] if d["path"] == "trustmap.yaml" and d["severity"] == "warning" and "Bad_NS" in d["message"]]
if not bad:
    print("diagnostics: %s" % j["diagnostics"], file=sys.stderr)
sys.exit(0 if bad else 1)
PY
exit 0
