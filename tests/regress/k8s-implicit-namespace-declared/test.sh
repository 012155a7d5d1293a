# opentelemetry-demo: its manifest declares Namespace otel-demo, and the objects that name no namespace
# were placed in "default" while those that name one were in otel-demo: calls by short name found no
# Service ("no Service or workload of that name was scanned") and policies missed their pods. Files
# that declare one Namespace and put every object naming one in it are applied there: the others are
# its too, said as an assumption. Any other namespace named keeps "default", as kubectl would.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
assert "service:shop/api" in nodes and "service:shop/grafana" in nodes, sorted(nodes)
assert not any(i.startswith("service:default/") for i in nodes), sorted(nodes)
assert "namespace 'shop'" in nodes["service:shop/api"]["assumed"], nodes["service:shop/api"]
calls = [(e["from"], e["to"]) for e in d["model"]["edges"] if e["kind"] == "calls"]
assert ("service:shop/api", "service:shop/grafana") in calls, calls
assert any(p.get("name") == "grafana-deny-all" and p.get("namespace") == "shop" for p in d["policies"]), d["policies"]
PY
# one object in another namespace: the release namespace is not known, "default" stands
cp -r "$CASE/in" "$WORK/in"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: monitoring}\ndata: {a: b}\n' >"$WORK/in/other.yaml"
run_bounded 60 "$TRUSTMAP" scan "$WORK/in" --format json --no-store --no-cache
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
ids = [n["id"] for n in d["model"]["nodes"]]
assert "service:default/api" in ids, ids
PY
