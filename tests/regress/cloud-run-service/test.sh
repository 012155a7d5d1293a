# Google Cloud Run's service YAML (serving.knative.dev/v1 with run.googleapis.com annotations or the
# cloud.googleapis.com/location label) was read as an in-cluster Knative Service: internet-facing
# whatever run.googleapis.com/ingress said, in an assumed namespace 'default', with findings that only
# make sense in Kubernetes (no default-deny NetworkPolicy, a mounted service-account token) and an
# assumption about config-domain. It is now a Cloud Run service in the cloud account: ingress all from
# the internet, internal and internal-and-cloud-load-balancing from the private network (said which),
# behind Cloud Run's IAM invoker check as a stated assumption, running as its Google service account.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/internal" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = {(x["from"], x["to"]): x for x in d["model"]["edges"]}
n = {x["id"]: x for x in d["model"]["nodes"]}
w = "service:cloudrun:us-central1/hello"
assert w in n and n[w]["boundary"] == "cloud" and "namespace" not in n[w], n.get(w)
assert ("entrypoint:internet", w) not in e
assert "ingress: internal" in e[("entrypoint:partner:private-network", w)]["internal"]
rules = {f["rule"] for f in d["findings"]}
assert not rules & {"TM-MESH-006", "TM-ID-003", "TM-MESH-004"}, rules
text = json.dumps(d)
assert "config-domain" not in text and "namespace 'default'" not in text
assert "roles/run.invoker" in n[w]["assumed"], n[w]
PY
run_bounded 60 "$TRUSTMAP" query can internet hello "$CASE/in/internal" --no-store --no-cache
expect_exit 1
grep -q "^DENY" "$WORK/out" || fail "internal ingress: $(head -3 "$WORK/out")"
grep -q "run.googleapis.com/ingress: internal" "$WORK/out" || fail "the verdict names the annotation"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in/all" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
e = {(x["from"], x["to"]): x for x in d["model"]["edges"]}
web = "service:cloudrun:europe-west1/web"
assert e[("entrypoint:internet", web)]["via"] == "Cloud Run"
assert (web, "identity:gcp:web-runner") in e
lb = "service:cloudrun/lb-only"
assert ("entrypoint:internet", lb) not in e
assert "load balancer" in e[("entrypoint:partner:private-network", lb)]["internal"]
msgs = [(x["severity"], x["line"], x["message"]) for x in d["diagnostics"]]
assert any(s == "warning" and l == 35 and "everyone" in m for s, l, m in msgs), msgs
assert not [x for x in d["model"]["edges"] if x["to"] == "service:cloudrun/typo" and x["kind"] == "routes"]
PY
exit 0
