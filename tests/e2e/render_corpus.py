#!/usr/bin/env python3
"""Helm charts and kustomizations rendered in the scan, on real repositories (../shared/corpus).

- eShopOnContainers: its charts need the values files its deploy script passes (helm -f app.yaml -f
  inf.yaml); named in an overlay's systems, they render to >= 18 workloads and >= 8 Ingresses with no
  error; without the overlay each chart is rendered with app.yaml and inf.yaml beside it, which
  define the values it lacks, as an assumption each chart states, and the charts stay one system.
- DeathStarBench: every chart renders; no template is left "go template, not rendered".
- helm-charts (prometheus-community, grafana): every chart renders its workload.
- Online Boutique: the default kustomization has no NetworkPolicy (TM-MESH-006 fires), the variants
  with the network-policies component have them; the chart is a variant of its own.
Exits 77 (skipped) when the corpus is absent. Usage: render_corpus.py TRUSTMAP CORPUS_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

os.environ.setdefault("TRUSTMAP_STORE", "none")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def scan(trustmap, path, *opts):
    p = subprocess.run([trustmap, "scan", "--format", "json", "-q"] + list(opts) + [path], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        failures.append("scan %s exited %d: %s" % (path, p.returncode, p.stderr[-500:]))
        return None
    return json.loads(p.stdout)


def systems(d):
    """Every system of a report, each with model, findings, inputs, skipped and diagnostics."""
    first = dict(d["systems"][0], model=d["model"], findings=d["findings"], inputs=d["inputs"],
                 skipped=d["skipped"], diagnostics=d["diagnostics"])
    return [first] + d["systems"][1:]


def workloads(s):
    return [n for n in s["model"]["nodes"] if n["kind"] == "service" and "workload" in n]


def gateways(s):
    return [n for n in s["model"]["nodes"] if n["kind"] == "gateway"]


def eshop(t, c):
    src = os.path.join(c, "eshoponcontainers")
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "eshop")
        shutil.copytree(src, repo)
        d = scan(t, repo)
        if d:
            helm = [s for s in systems(d) if s["variant"] == "deploy/k8s/helm"]
            # the charts' notes are the charts' system's, not the compose project's beside them
            notes = [x for x in (helm[0]["diagnostics"] if helm else [])
                     if "rendered with deploy/k8s/helm/app.yaml and deploy/k8s/helm/inf.yaml beside it" in x["message"]
                     or "rendered with deploy/k8s/helm/inf.yaml beside it" in x["message"]]
            check(len(notes) >= 18, "eShop without values: each chart says which values files beside it it was "
                  "rendered with, got %d" % len(notes))
            helm = [s for s in systems(d) if s["variant"] == "deploy/k8s/helm"]
            check(len(helm) == 1, "eShop without values: the charts are one system, got %s"
                  % [s["variant"] for s in systems(d)])
            if helm:
                check(len(workloads(helm[0])) >= 18, "eShop without values: >= 18 workloads, got %d" % len(workloads(helm[0])))
            errors = [x for x in d["diagnostics"] if x["severity"] == "error"]
            check(not errors, "eShop without values: charts rendered with the files beside them: %s" % errors[:2])
        with open(os.path.join(repo, "trustmap.yaml"), "w") as f:
            f.write("systems:\n  - name: k8s\n    include: ['deploy/k8s/helm/*']\n"
                    "    values: [deploy/k8s/helm/app.yaml, deploy/k8s/helm/inf.yaml, deploy/k8s/helm/ingress_values.yaml]\n")
        d = scan(t, repo)
        if not d:
            return
        s = systems(d)
        check([x["variant"] for x in s] == ["k8s"], "eShop: one system named by the overlay, got %s" % [x["variant"] for x in s])
        w, g = len(workloads(s[0])), len(gateways(s[0]))
        check(w >= 18, "eShop: >= 18 workloads from the charts, got %d" % w)
        check(g >= 8, "eShop: >= 8 Ingresses from the charts, got %d" % g)
        errors = [x for x in d["diagnostics"] if x["severity"] == "error"]
        check(not errors, "eShop: charts with their values render without error: %s" % errors[:2])


def deathstarbench(t, c):
    d = scan(t, os.path.join(c, "deathstarbench"))
    if not d:
        return
    raw = [x for x in d["skipped"] if x["reason"].startswith("go template")]
    raw += [x for x in d["diagnostics"] if x["message"].startswith("go template")]
    check(not raw, "deathstarbench: %d templates not rendered: %s" % (len(raw), [x["path"] for x in raw][:3]))
    # each app's chart: its workloads modelled in some system (alone, or beside what it does not clash with)
    for app in ("mediaMicroservices", "hotelReservation", "socialNetwork"):
        chart = [i for x in systems(d) for i in x["inputs"] if i["kind"] == "helm" and i["path"].startswith(app + "/helm-chart/")]
        check(chart, "deathstarbench: %s's chart is rendered" % app)


def helm_charts(t, c):
    d = scan(t, os.path.join(c, "helm-charts"))
    if not d:
        return
    # five charts, no object in common: one system holding every chart's workloads
    s = systems(d)
    w = {n["name"] for x in s for n in workloads(x)}
    check(len(w) >= 5, "helm-charts: a workload per chart, got %s" % sorted(w))
    helm = {i["path"].split("/templates/")[0] for x in s for i in x["inputs"] if i["kind"] == "helm" and "/templates/" in i["path"]}
    check(len(helm) >= 5, "helm-charts: the five charts' templates are read by their renders, got %s" % sorted(helm))


def online_boutique(t, c):
    d = scan(t, os.path.join(c, "online-boutique"))
    if not d:
        return
    by = {x["variant"]: x for x in systems(d)}
    k = by.get("kustomize")
    check(k is not None, "online-boutique: a system for the default kustomization (got %s)" % sorted(by))
    if k:
        pols = [p for p in (k.get("policies") or d["policies"] if k is systems(d)[0] else k.get("policies", [])) if p.get("kind") == "NetworkPolicy"]
        check(not pols, "online-boutique kustomize: no NetworkPolicy, got %d" % len(pols))
        check(any(f["rule"] == "TM-MESH-006" for f in k["findings"]), "online-boutique kustomize: TM-MESH-006 fires")
    np = by.get("kustomize/tests/service-mesh-istio-with-all-components")
    if np:
        check(not any(f["rule"] == "TM-MESH-006" for f in np["findings"]),
              "online-boutique with the network-policies component: no TM-MESH-006")
    check("helm-chart" in by, "online-boutique: the chart is a variant of its own (got %s)" % sorted(by))
    if "helm-chart" in by:
        check(len(workloads(by["helm-chart"])) >= 10, "online-boutique chart: >= 10 workloads")


def main():
    t, c = sys.argv[1:3]
    if not os.path.isdir(os.path.join(c, "eshoponcontainers")):
        print("SKIP: corpus %s is absent" % c)
        return 77
    eshop(t, c)
    deathstarbench(t, c)
    helm_charts(t, c)
    online_boutique(t, c)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
