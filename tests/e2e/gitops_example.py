#!/usr/bin/env python3
"""examples/gitops: Argo CD Applications send manifests written without a namespace into `shop`,
where the platform's NetworkPolicies are, and release a chart of the tree there with its production
values, and an ApplicationSet makes one Application per directory of jobs/; a change of destination
is a change the diff reviews.
Usage: gitops_example.py TRUSTMAP SOURCE_DIR"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

os.environ.setdefault("TRUSTMAP_STORE", "none")


def scan(tm, path, *extra):
    out = subprocess.run([tm, *extra, path, "--no-store", "--format", "json"], capture_output=True, text=True,
                         check=False)
    if out.returncode not in (0, 1):
        raise SystemExit("%s failed: %d %s" % (extra[0], out.returncode, out.stderr))
    return json.loads(out.stdout)


def main():
    tm, src = sys.argv[1], sys.argv[2]
    ex = os.path.join(src, "examples", "gitops")
    r = scan(tm, ex, "scan")
    bad = []

    def check(ok, what):
        if not ok:
            bad.append(what)

    svc = {n["id"]: n for n in r["model"]["nodes"] if n["kind"] == "service"}
    check(sorted(svc) == ["service:shop/orders", "service:shop/payments", "service:shop/reports", "service:shop/storefront"],
          "the workloads are in shop: %s" % sorted(svc))
    gw = sorted(n["id"] for n in r["model"]["nodes"] if n["kind"] == "gateway")
    check(gw == ["gateway:shop/payments"], "the Ingress values-prod.yaml turns on: %s" % gw)
    check(svc.get("service:shop/payments", {}).get("replicas") == 3, "values-prod.yaml's replicas: %s" %
          svc.get("service:shop/payments", {}).get("replicas"))
    check(all(n.get("ingress_isolated") is True for n in svc.values()),
          "the shop NetworkPolicies isolate them: %s" % {k: n.get("ingress_isolated") for k, n in svc.items()})
    rules = sorted(f["rule"] for f in r["findings"])
    check("TM-MESH-006" not in rules, "no namespace without a default deny: %s" % rules)
    notes = sorted(d["message"] for d in r["diagnostics"] if "Argo CD Application" in d["message"])
    check(notes == ["the Argo CD Application job-reports delivers jobs/reports into namespace shop: 1 object written without a namespace placed there",
                    "the Argo CD Application orders delivers apps/orders into namespace shop: 2 objects written without a namespace placed there",
                    "the Argo CD Application payments releases chart charts/payments as payments into namespace shop, rendered with 1 values file",
                    "the Argo CD Application storefront delivers apps/storefront into namespace shop: 2 objects written without a namespace placed there",
                    "the Argo CD ApplicationSet jobs generates 1 Application from its Git directory generator"],
          "one note per Application: %s" % notes)

    # a change that sends the storefront into a namespace without policies is a finding of the review
    with tempfile.TemporaryDirectory() as tmp:
        head = os.path.join(tmp, "head")
        shutil.copytree(ex, head)
        for name, ns in (("storefront", "storefront"), ("payments", "payments")):
            app = os.path.join(head, "argocd", name + ".yaml")
            with open(app, encoding="utf-8") as f:
                text = f.read()
            with open(app, "w", encoding="utf-8") as f:
                f.write(text.replace("namespace: shop", "namespace: " + ns))
        out = subprocess.run([tm, "diff", ex, head, "--no-store", "--format", "json"], capture_output=True, text=True,
                             check=False)
        check(out.returncode in (0, 1), "diff failed: %d %s" % (out.returncode, out.stderr))
        if out.returncode in (0, 1):
            d = json.loads(out.stdout)
            new = sorted((f["rule"], f["title"]) for f in d["findings_new"])
            check(any(r == "TM-MESH-006" and t.startswith("2 namespaces") for r, t in new),
                  "the review finds both namespaces without a default deny: %s" % new)
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
