#!/usr/bin/env python3
"""Spot checks of the platform ingesters on real third-party systems (../shared/corpus).

Online Boutique: the call graph recovered from env vars equals the corpus's
_derived/service_dependencies.tsv exactly, and its NetworkPolicies allow every
documented call and refuse an undocumented one. Bookinfo, Sock Shop,
train-ticket, eShopOnContainers and the Gateway API examples load with the
expected workloads, identities, routes and policies; templated helm files are
reported, not misread. Exits 77 (skipped) when the corpus is absent.
Usage: platform_corpus.py TRUSTMAP CORPUS_DIR
"""
import json
import os
os.environ.setdefault("TRUSTMAP_STORE", "none")  # no register written into the source tree
import subprocess
import sys

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def scan(trustmap, corpus, *paths, system=None):
    opt = ["--system", system] if system else []
    p = subprocess.run([trustmap, "scan", "--format", "json"] + opt + [os.path.join(corpus, x) for x in paths],
                       capture_output=True, text=True)
    if p.returncode != 0:
        failures.append("scan %s exited %d: %s" % (paths, p.returncode, p.stderr[-500:]))
        return None
    return json.loads(p.stdout)


def query(trustmap, corpus, args, *paths):
    p = subprocess.run([trustmap, "query"] + args + ["--format", "json"] + [os.path.join(corpus, x) for x in paths],
                       capture_output=True, text=True)
    return p.returncode, (json.loads(p.stdout) if p.stdout.strip() else None)


def nodes(d, kind):
    return [n for n in d["model"]["nodes"] if n["kind"] == kind]


def edges(d, kind):
    return [e for e in d["model"]["edges"] if e["kind"] == kind]


def workloads(d):
    return [n for n in nodes(d, "service") if "workload" in n]


def online_boutique(t, c):
    d = scan(t, c, "online-boutique/kubernetes-manifests")
    if not d:
        return
    want = set()
    with open(os.path.join(c, "online-boutique/_derived/service_dependencies.tsv")) as f:
        f.readline()
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    # the directory's kustomization leaves loadgenerator.yaml out: rendered, it is not deployed
    rows_all = rows
    rows = [row for row in rows if row[0] != "loadgenerator"]
    check(any(x["path"] == "loadgenerator.yaml" and "no build of the scan reads it" in x["reason"] for x in d["skipped"]),
          "online-boutique: loadgenerator.yaml is skipped as not read by the kustomization")
    for caller, sa, env, addr, _ in rows:
        want.add((caller, env, addr))
    got = set()
    for e in edges(d, "calls"):
        caller = e["from"].split("/")[-1]
        for env in e.get("env", []):
            for addr in e.get("address", []):
                got.add((caller, env, addr))
    check(got == want, "online-boutique calls: missing %s, extra %s" % (sorted(want - got), sorted(got - want)))
    check(len(workloads(d)) == 11, "online-boutique: 11 workloads, got %d" % len(workloads(d)))
    runs = {e["from"].split("/")[-1]: e["to"].split("/")[-1] for e in edges(d, "runs-as")}
    for caller, sa, _, _, _ in rows:
        check(runs.get(caller) == sa, "online-boutique: %s runs as %s, got %s" % (caller, sa, runs.get(caller)))
    exposed = [e["to"] for e in edges(d, "routes") if e["from"] == "entrypoint:internet"]
    check(exposed == ["service:default/frontend"], "online-boutique: only frontend exposed, got %s" % exposed)

    # the network-policies component must allow every documented call, and nothing else to the cart
    pol = ("online-boutique/kubernetes-manifests", "online-boutique/kustomize/components/network-policies")
    for caller, _, env, addr, _ in rows_all:
        host, port = addr.split(":")
        if host == "shoppingassistantservice":
            continue  # not deployed by these manifests
        rc, v = query(t, c, ["can", "default/" + caller, "default/" + host, "--port", port], *pol)
        check(rc == 0 and v and v["allowed"], "online-boutique policies: %s -> %s should be allowed: %s" % (
            caller, addr, v and v["reason"]))
    rc, v = query(t, c, ["who-can-call", "default/cartservice"], *pol)
    callers = sorted(x["source"] for x in v["callers"]) if v else None
    check(callers == ["service:default/checkoutservice", "service:default/frontend"],
          "online-boutique policies: cartservice callers %s" % callers)

    d = scan(t, c, "online-boutique/kubernetes-manifests", "online-boutique/istio-manifests")
    if d:
        routed = {(e["from"], e["to"]) for e in edges(d, "routes")}
        check(("gateway:istio:default/frontend-gateway", "service:default/frontend") in routed,
              "online-boutique istio: the gateway routes to frontend (%s)" % sorted(routed))


def bookinfo(t, c):
    d = scan(t, c, "istio/samples/bookinfo/platform/kube/bookinfo.yaml",
             "istio/samples/bookinfo/networking/bookinfo-gateway.yaml")
    if not d:
        return
    names = sorted(n["name"] for n in workloads(d))
    check(names == ["details-v1", "productpage-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3"],
          "bookinfo workloads %s" % names)
    sas = sorted(n["name"] for n in nodes(d, "identity"))
    check(sas == ["bookinfo-details", "bookinfo-productpage", "bookinfo-ratings", "bookinfo-reviews"],
          "bookinfo identities %s" % sas)
    route = [e for e in edges(d, "routes") if e["from"] == "gateway:istio:default/bookinfo-gateway"]
    check(len(route) == 1 and route[0]["to"] == "service:default/productpage-v1" and "/productpage" in route[0]["paths"],
          "bookinfo: gateway routes /productpage to productpage-v1 (%s)" % route)


def sock_shop(t, c):
    d = scan(t, c, "sock-shop/deploy/kubernetes/complete-demo.yaml", "sock-shop/deploy/kubernetes/manifests-policy")
    if not d:
        return
    check(len(workloads(d)) == 14, "sock-shop: 14 workloads, got %d" % len(workloads(d)))
    nps = [p for p in d["policies"] if p["kind"] == "NetworkPolicy"]
    check(len(nps) == 13, "sock-shop: 13 NetworkPolicies, got %d" % len(nps))
    check(any("net.beta.kubernetes.io/network-policy" in x["message"] for x in d["diagnostics"]),
          "sock-shop: the ignored beta isolation annotation is reported")


def train_ticket(t, c):
    # deployment variants side by side: each is a system; the istio one has the gateway
    d = scan(t, c, "train-ticket/deployment", system="kubernetes-manifests/k8s-with-istio")
    if not d:
        return
    ts = [n for n in workloads(d) if n["name"].startswith("ts-")]
    check(len(ts) >= 64, "train-ticket: at least 64 ts-* workloads, got %d" % len(ts))
    check(any(n["id"].startswith("gateway:istio:") for n in nodes(d, "gateway")), "train-ticket: istio gateway")
    check(d["exposure"].get("service:default/ts-ui-dashboard") == "internet",
          "train-ticket: ts-ui-dashboard internet in the istio variant, got %s" % d["exposure"].get("service:default/ts-ui-dashboard"))
    names = sorted(x.get("variant") for x in d["systems"])
    check(names == ["kubernetes-manifests/k8s-with-istio"], "train-ticket: --system picks one variant, got %s" % names)


def eshop(t, c):
    d = scan(t, c, "eshoponcontainers/deploy")
    if not d:
        return
    # the charts are rendered (tests/e2e/render_corpus.py checks what they hold): no template is read raw
    templated = [s for s in d["skipped"] if s["reason"].startswith("go template")]
    check(not templated, "eShopOnContainers: templates read raw: %s" % [s["path"] for s in templated][:3])
    helm = [i["path"] for i in d["inputs"] if i["kind"] == "helm"]
    check(len(helm) >= 50, "eShopOnContainers: chart files are inputs of the helm renders, got %d" % len(helm))


def gateway_api(t, c):
    d = scan(t, c, "gateway-api/examples/standard")
    if not d:
        return
    gws = [n for n in nodes(d, "gateway") if n["id"].startswith("gateway:gwapi:")]
    check(len(gws) >= 15, "gateway-api: at least 15 gateways, got %d" % len(gws))
    routed = {(e["from"], e["to"]) for e in edges(d, "routes")}
    check(("gateway:gwapi:infra-ns/shared-gateway", "service:store-ns/store") in routed,
          "gateway-api: cross-namespace route to store-ns/store")


def main():
    t, c = sys.argv[1:3]
    if not os.path.isdir(os.path.join(c, "online-boutique")):
        print("SKIP: corpus %s is absent" % c)
        return 77
    for fn in (online_boutique, bookinfo, sock_shop, train_ticket, eshop, gateway_api):
        fn(t, c)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
