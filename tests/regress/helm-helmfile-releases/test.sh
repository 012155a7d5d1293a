# aws-containers/retail-store-sample-app: src/app/helmfile.yaml holds the real values of every
# release (the ingress, the endpoints, the stores), and it was skipped as "no recognised document":
# the charts were rendered with their defaults (no ingress, no calls). A helmfile's releases of the
# tree's charts are rendered as `helmfile template` renders them: its values files and inline values,
# into its namespace, as its release name; a chart of a Helm repository is a note.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
models = [d["model"]] + [s["model"] for s in d["systems"] if "model" in s]
ids = {n["id"] for m in models for n in m["nodes"]}
assert "service:retail/ui" in ids, sorted(i for i in ids if i.startswith("service:"))
edges = [(e["from"], e["kind"], e["to"]) for m in models for e in m["edges"]]
assert any(k == "routes" and t == "service:retail/ui" for f, k, t in edges), edges
assert any(f == "service:retail/ui" and k == "calls" and t.endswith("/catalog") for f, k, t in edges), edges
msgs = [x["message"] for x in d["diagnostics"]]
assert any("the helmfile release ui releases chart" in m and "into namespace retail" in m for m in msgs), msgs
assert any("helmfile release catalog-db deploys chart bitnami/mysql" in m for m in msgs), msgs
assert not [s for s in d["skipped"] if s["path"] == "deploy/helmfile.yaml" and "no recognised" in s["reason"]], d["skipped"]
PY
