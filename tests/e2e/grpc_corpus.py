#!/usr/bin/env python3
"""gRPC .proto files on real repositories (../shared/corpus): rpcs become endpoints on the workloads
that serve them.

- Online Boutique: in every system that deploys the shop, each gRPC workload (cartservice,
  productcatalogservice, currencyservice, ...) carries its rpcs as endpoints ("GRPC /hipstershop.<Service>/<Method>"),
  linked by the service name; the health service copied under src/<workload>/ lands on that workload;
  every .proto is an input of kind grpc, none gets a diagnostic.
- gomall and beer-shop: their .proto files read without an error; the HTTP bindings (api.get,
  google.api.http) are kept on the endpoints.
Exits 77 (skipped) when the corpus is absent. Usage: grpc_corpus.py TRUSTMAP CORPUS_DIR
"""
import json
import os
import subprocess
import sys

os.environ.setdefault("TRUSTMAP_STORE", "none")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def scan(trustmap, path, *opts):
    p = subprocess.run([trustmap, "scan", "--format", "json", "-q", "--no-store"] + list(opts) + [path],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        failures.append("scan %s exited %d: %s" % (path, p.returncode, p.stderr[-500:]))
        return None
    return json.loads(p.stdout)


def systems(d):
    first = dict(d["systems"][0], model=d["model"]) if d.get("systems") else dict(name="", model=d["model"])
    return [first] + d.get("systems", [])[1:]


def grpc_endpoints(model):
    return [n for n in model["nodes"] if n["kind"] == "endpoint" and n.get("protocol") == "grpc"]


def proto_errors(d):
    return [x for x in d["diagnostics"] if x["path"].endswith(".proto") and x["severity"] == "error"]


# rpcs per workload, from protos/demo.proto
BOUTIQUE = {
    "cartservice": {"AddItem", "GetCart", "EmptyCart"},
    "productcatalogservice": {"ListProducts", "GetProduct", "SearchProducts"},
    "currencyservice": {"GetSupportedCurrencies", "Convert"},
    "shippingservice": {"GetQuote", "ShipOrder"},
    "paymentservice": {"Charge"},
    "emailservice": {"SendOrderConfirmation"},
    "checkoutservice": {"PlaceOrder"},
    "recommendationservice": {"ListRecommendations"},
    "adservice": {"GetAds"},
}


def boutique(trustmap, corpus):
    d = scan(trustmap, os.path.join(corpus, "online-boutique"))
    if d is None:
        return
    check(not proto_errors(d), "Online Boutique: no .proto error: %s" % proto_errors(d)[:3])
    protos = [i for i in d["inputs"] if i["path"].endswith(".proto")]
    check(len(protos) >= 2 and all(i["kind"] == "grpc" for i in protos),
          "Online Boutique: every .proto is a grpc input: %s" % protos)
    deploying = 0
    for s in systems(d):
        nodes = {n["id"]: n for n in s["model"]["nodes"]}
        workloads = {n["name"]: n["id"] for n in nodes.values()
                     if n["kind"] == "service" and not n.get("unlinked")}
        if "cartservice" not in workloads:
            continue  # a variant that deploys no shop (the istio manifests alone)
        deploying += 1
        eps = grpc_endpoints(s["model"])
        for wl, rpcs in BOUTIQUE.items():
            if wl not in workloads:
                continue
            got = {e["operation_id"] for e in eps if e["service"] == workloads[wl]}
            check(rpcs <= got, "%s: %s serves %s, has %s" % (s["name"], wl, sorted(rpcs), sorted(got)))
        cart = [e for e in eps if e["service"] == workloads["cartservice"]]
        check(all(e["method"] == "GRPC" and e["path"].startswith("/hipstershop.CartService/") for e in cart),
              "%s: cart endpoints are GRPC /hipstershop.CartService/<Method>" % s["name"])
        check(all(e["authn"] == "unknown" and e["anonymous"] is False for e in cart),
              "%s: a .proto declares no authentication: authn unknown, not anonymous" % s["name"])
        check(not any(e["service"].startswith("service:api/hipstershop") for e in eps),
              "%s: no hipstershop service left unlinked" % s["name"])
        health = {e["service"] for e in eps if e["path"] == "/grpc.health.v1.Health/Check"}
        if "currencyservice" in workloads:
            check(workloads["currencyservice"] in health,
                  "%s: the health service under src/currencyservice/ is on currencyservice: %s" % (s["name"], health))
    check(deploying >= 3, "Online Boutique: the systems that deploy the shop (%d) have their endpoints" % deploying)


def bindings(trustmap, corpus, repo, verb_path):
    d = scan(trustmap, os.path.join(corpus, repo))
    if d is None:
        return
    check(not proto_errors(d), "%s: no .proto error: %s" % (repo, proto_errors(d)[:3]))
    eps = grpc_endpoints(d["model"])
    check(len(eps) > 0, "%s: rpcs became endpoints" % repo)
    got = {(e.get("http_method"), e.get("http_path")) for e in eps}
    check(verb_path in got, "%s: the binding %s %s is kept" % (repo, verb_path[0], verb_path[1]))


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    trustmap, corpus = sys.argv[1], sys.argv[2]
    if not os.path.isdir(os.path.join(corpus, "online-boutique")):
        print("corpus absent: skipped")
        return 77
    boutique(trustmap, corpus)
    if os.path.isdir(os.path.join(corpus, "gomall")):
        bindings(trustmap, corpus, "gomall", ("POST", "/auth/login"))
    if os.path.isdir(os.path.join(corpus, "beer-shop")):
        bindings(trustmap, corpus, "beer-shop", ("GET", "/admin/v1/catalog/beers"))
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
