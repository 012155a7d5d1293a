# The app-of-apps pattern (Argo CD's own example repository): a chart (apps/) whose templates are
# the Applications, each sending a directory of the repository into its namespace or releasing a
# chart of it with a production values file. trustmap rendered the apps chart, kept its
# Applications as objects it does not model, and modelled guestbook in "default" and the
# helm-guestbook chart with values.yaml alone (a ClusterIP Service, as "release-name"). Now the
# Applications a render makes deliver and release as written ones do: the charts of Applications
# render first, so the charts they release render with the release's values. An ApplicationSet
# the chart makes is not expanded, and says so.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "Applications rendered by an app-of-apps chart (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
svc = sorted(n["id"] for n in j["model"]["nodes"] if n["kind"] == "service")
if svc != ["service:guestbook/guestbook-ui", "service:helm-guestbook/helm-guestbook"]:
    bad.append("services: %s" % svc)
if j["exposure"].get("service:helm-guestbook/helm-guestbook") != "internet":
    bad.append("values-production.yaml's LoadBalancer not applied: %s" % j["exposure"])
notes = sorted((d["path"], d["line"], d["message"]) for d in j["diagnostics"] if "Argo CD Application " in d["message"])
want = [("apps/templates/guestbook.yaml", 8, "the Argo CD Application guestbook delivers guestbook into namespace guestbook: 2 objects written without a namespace placed there"),
        ("apps/templates/helm-guestbook.yaml", 12, "the Argo CD Application helm-guestbook releases chart helm-guestbook as helm-guestbook into namespace helm-guestbook, rendered with 1 values file")]
if notes != want:
    bad.append("notes: %s" % notes)
said = [d["message"] for d in j["diagnostics"] if "ApplicationSet previews is made by apps" in d["message"]]
if len(said) != 1:
    bad.append("an ApplicationSet the chart makes is not said once: %s" % said)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
