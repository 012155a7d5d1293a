# Charts that read values their values.yaml does not define (eShopOnContainers' .Values.inf and
# .Values.app, which its deploy script passes with -f app.yaml -f inf.yaml) failed template by
# template ("nil pointer evaluating interface {}.k8s"): their workloads, Services and Ingresses were
# missing from the model. Now such a chart, rendered with no values of the scan's, is rendered with
# the YAML files beside its directory that define the missing values (not other YAML there, not
# Kubernetes objects), an assumption a note states; charts sharing those files stay one system
# (they are no variants of one another); a chart whose missing values nothing beside it defines
# keeps its error and the note naming the overlay's systems.
. "$(dirname "$0")/../lib.sh"
run_bounded 60 "$TRUSTMAP" scan "$CASE/in" --format json --no-store --no-cache
expect_exit 0 1
python3 - "$WORK/out" <<'PY' || fail "see above"
import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["model"]["nodes"]}
assert len(d["systems"]) == 1, [s["variant"] for s in d["systems"]]
for c in ("cart", "orders"):
    assert "service:default/shop-" + c in nodes, sorted(nodes)
    gw = nodes["gateway:default/" + c]
    assert gw["hosts"] == ["shop.example.com"], gw
notes = [g for g in d["diagnostics"] if "rendered with deploy/helm/app.yaml and deploy/helm/inf.yaml beside it" in g["message"]]
assert sorted(g["path"] for g in notes) == ["deploy/helm/cart/Chart.yaml", "deploy/helm/orders/Chart.yaml"], notes
assert "an assumption" in notes[0]["message"] and "notes.yaml" not in notes[0]["message"], notes[0]
assert "ingress_values.yaml" not in notes[0]["message"], notes[0]  # defines nothing the charts lack
errs = [g for g in d["diagnostics"] if g["severity"] == "error"]
assert [g["path"] for g in errs] == ["deploy/helm/standalone/templates/deployment.yaml"], errs
assert "nil pointer evaluating interface {}.flag" in errs[0]["message"], errs
assert any(g["path"] == "deploy/helm/standalone/Chart.yaml" and "name them in trustmap.yaml" in g["message"]
           for g in d["diagnostics"]), d["diagnostics"]
# the password inf.yaml gives is a literal credential of both workloads
sec = [f for f in d["findings"] if f["rule"] == "TM-SEC-001"]
assert sec and "shop-cart" in json.dumps(sec) and "shop-orders" in json.dumps(sec), sec
PY
exit 0
