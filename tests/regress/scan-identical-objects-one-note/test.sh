# Two files defining the same objects identically (a rendered bundle beside its variant: argo-cd's
# namespace-install.yaml and namespace-install-with-hydrator.yaml) made one note per object, 61 lines
# of "is also defined, identically" on argo-cd. The objects two files share identically are one note
# for the pair, naming the first three and how many; an object defined differently keeps its warning.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "identical definitions (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
same = [d for d in j["diagnostics"] if "identically" in d["message"]]
diff = [d for d in j["diagnostics"] if "differently" in d["message"]]
want = ("3 objects (ServiceAccount shop/api, ServiceAccount shop/worker and ServiceAccount shop/cron) are also "
        "defined, identically, in install-with-extras.yaml; one object each")
if len(same) != 1 or same[0]["message"] != want or same[0]["path"] != "install.yaml" or same[0]["line"] != 1:
    bad.append("want one note %r at install.yaml:1, got %s" % (want, [(d["path"], d["line"], d["message"]) for d in same]))
if len(diff) != 1 or "Service shop/api" not in diff[0]["message"]:
    bad.append("want one warning for the Service defined differently, got %s" % [d["message"] for d in diff])
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
exit 0
