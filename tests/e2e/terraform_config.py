#!/usr/bin/env python3
"""Terraform configuration as written (.tf, .tfvars, raw .tfstate) and workload-identity annotations.

Fixture (tests/e2e/terraform, always run): a plan and the configuration of one role (one node), a
module calling a local child module with an argument
built from a local and a tfvars value, a jsonencode trust policy, a Google service account with a
workload-identity member, a child module calling back into its caller (a cycle: one note, no loop),
a GKE cluster without workload identity (its node account reachable from every pod), and a
ServiceAccount whose three annotations name an AWS role, a Google service account and an
Azure identity: each becomes a granted edge located at its annotation.

Corpus (../shared/corpus, skipped with exit 77 when absent; numbers measured when this was written,
before: no .tf input, no cloud node):
- sock-shop (AWS): 10 .tf files and 2 raw v3 states are inputs; three security groups open to the
  internet are entry points with their ingress rules as located open_ingress facts (md-k8s-security-group:
  6 rules at deploy/kubernetes/terraform/main.tf 14..44);
- online-boutique (GCP): 9 configuration files are inputs; the GKE nodes' service account with its 4
  project roles located, the state bucket and the Memorystore instance as stores (its count unresolved),
  and the registry modules named as not followed;
- the false-positive control: online-boutique gains no TM-CLOUD finding; sock-shop gains two TM-CLOUD-005
  (its minimesos group admits all traffic from anywhere: high; its k8s group admits ssh: medium), nothing else.
Usage: terraform_config.py TRUSTMAP SOURCE_DIR CORPUS_DIR
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


def scan(trustmap, path):
    p = subprocess.run([trustmap, "scan", "--format", "json", "-q", "--no-store", path], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        failures.append("scan %s exited %d: %s" % (path, p.returncode, p.stderr[-500:]))
        return None
    return json.loads(p.stdout)


def nodes(d):
    """Every node of every system, by id (the first system's model is the report's own)."""
    out = {}
    models = [d["model"]] + [s["model"] for s in d.get("systems", [])[1:] if s.get("model")]
    for m in models:
        for n in m["nodes"]:
            out.setdefault(n["id"], n)
    return out


def edges(d):
    return [(e["from"], e["to"], e["kind"], e.get("via"), [(x["path"], x["line"]) for x in e["evidence"]])
            for e in d["model"]["edges"]]


def facts(n, key):
    return sorted((f["value"], f["at"]["path"], f["at"]["line"]) for f in n.get("facts", []) if f["key"] == key)


def fixture(trustmap, src):
    d = scan(trustmap, os.path.join(src, "tests", "e2e", "terraform"))
    if not d:
        return
    notes = [x for x in d["diagnostics"] if x["severity"] == "note"]
    bad = [x for x in d["diagnostics"] if x["severity"] != "note"]
    check(not bad and not d["skipped"], "fixture: clean inputs, got %s %s" % (bad, d["skipped"]))
    check(len(notes) == 1 and "loop" in notes[0]["message"] and "a cycle" in notes[0]["message"] and notes[0]["path"] == "modules/db/main.tf",
          "fixture: the module cycle is one note, got %s" % notes)
    ns = nodes(d)
    db = ns.get("datastore:aws:rds:shop-staging")  # identifier = var.id = local.name = "shop-${var.env}", env from tfvars
    check(db is not None, "fixture: the child module's database named through the call's argument: %s" % sorted(ns))
    if db:
        check(("publicly_accessible", "modules/db/main.tf", 4) in facts(db, "public_access"),
              "fixture: publicly_accessible located: %s" % facts(db, "public_access"))
        check(any(v.startswith("security group db open") for v, _, _ in facts(db, "public_access")),
              "fixture: the security group joined through aws_security_group.db.id: %s" % facts(db, "public_access"))
    role = ns.get("identity:aws:shop-staging", {})
    # the plan and the configuration describe one role: one node, evidence from both
    paths = {e["path"] for e in role.get("evidence", [])}
    check({"infra/plan.json", "infra/main.tf"} <= paths, "fixture: one role node from plan and configuration: %s" % paths)
    check(len([n for n in ns if n.startswith("identity:aws:")]) == 1, "fixture: one AWS identity: %s" % sorted(ns))
    check(("system:serviceaccount:shop:*", "infra/main.tf", 19) in facts(role, "trust_wildcard"),
          "fixture: the jsonencode trust policy's wildcard subject located: %s" % facts(role, "trust_wildcard"))
    es = edges(d)
    for to, via, line in (("identity:aws:shop-staging", "IRSA annotation", 7),
                          ("identity:gcp:shop", None, 8),
                          ("identity:azure:client-id:00000000-0000-0000-0000-000000000001",
                           "Azure workload identity annotation", 9)):
        hit = [e for e in es if e[0] == "identity:k8s:shop/api" and e[1] == to and e[2] == "granted"]
        check(hit and (via is None or hit[0][3] == via) and ("k8s/sa.yaml", line) in hit[0][4],
              "fixture: annotation edge to %s at k8s/sa.yaml:%d: %s" % (to, line, hit))
    nodes_sa = ns.get("identity:gcp:gke-nodes", {})
    check(facts(nodes_sa, "metadata_reachable") == [("every pod of cluster shop (workload identity off)", "gke/main.tf", 11)]
          and nodes_sa.get("node_service_account_of") == ["shop"],
          "fixture: a GKE cluster without workload identity exposes its nodes' account: %s" % nodes_sa)
    gsa = ns.get("identity:gcp:shop", {})
    check(gsa.get("trusted_subjects") == ["serviceAccount:acme.svc.id.goog[shop/api]"],
          "fixture: the workload identity member: %s" % gsa.get("trusted_subjects"))


def corpus(trustmap, root):
    ss = scan(trustmap, os.path.join(root, "sock-shop"))
    if ss:
        tf = [i for i in ss["inputs"] if i["path"].endswith(".tf")]
        st = [i for i in ss["inputs"] if ".tfstate" in i["path"]]
        check(len(tf) == 10 and all(i["kind"] == "terraform-config" for i in tf), "sock-shop: 10 .tf inputs: %s" % tf)
        check(len(st) == 2 and all(i["kind"] == "terraform-state" for i in st), "sock-shop: 2 states: %s" % st)
        check(not [x for x in ss["skipped"] if ".tf" in x["path"]], "sock-shop: no terraform file skipped")
        check(not [x for x in ss["diagnostics"] if ".tf" in x["path"] and x["severity"] != "note"],
              "sock-shop: no terraform diagnostic")
        ns = nodes(ss)
        sg = ns.get("entrypoint:cloud:aws-sg:md-k8s-security-group", {})
        got = facts(sg, "open_ingress")
        check([l for _, p, l in got if p == "deploy/kubernetes/terraform/main.tf"] == [14, 32, 38, 44, 20, 26] or
              sorted(l for _, p, l in got) == [14, 20, 26, 32, 38, 44],
              "sock-shop: md-k8s-security-group's 6 world-open rules located: %s" % got)
        stg = ns.get("entrypoint:cloud:aws-sg:microservices-demo-staging-k8s", {})
        paths = sorted(p for _, p, _ in facts(stg, "open_ingress"))
        check("staging/main.tf" in paths and "staging/terraform.tfstate" in paths,
              "sock-shop: the staging group from the configuration and the v3 state: %s" % paths)
        check("entrypoint:cloud:aws-sg:terraform-web" in ns, "sock-shop: minimesos web group")
        cloud = sorted((f["rule"], f["severity"], f["evidence"][0]["path"], f["evidence"][0]["line"])
                       for f in ss["findings"] if f["rule"].startswith("TM-CLOUD"))
        # the minimesos group admits every protocol from anywhere; the k8s group admits ssh
        check(cloud == [("TM-CLOUD-005", "high", "install/aws-minimesos/aws.tf", 81),
                        ("TM-CLOUD-005", "medium", "deploy/kubernetes/terraform/main.tf", 14)],
              "sock-shop: TM-CLOUD findings: %s" % cloud)
    ob = scan(trustmap, os.path.join(root, "online-boutique"))
    if ob:
        tf = [i for i in ob["inputs"] if i["kind"] == "terraform-config"]
        check(len(tf) == 9, "online-boutique: 9 configuration inputs: %s" % [i["path"] for i in tf])
        ns = nodes(ob)
        sa = ns.get("identity:gcp:gke-clusters-service-account", {})
        roles = facts(sa, "project_roles")
        check(len(roles) == 4 and all(p == ".github/terraform/main.tf" for _, p, _ in roles),
              "online-boutique: the GKE service account's 4 project roles located: %s" % roles)
        check("datastore:gcp:gcs:cicd-terraform-state" in ns, "online-boutique: the state bucket")
        check(sa.get("node_service_account_of") == ["prs-gke-cluster"] and not facts(sa, "metadata_reachable"),
              "online-boutique: the Autopilot cluster's node account, not reachable from pods: %s" % sa)
        redis = ns.get("datastore:gcp:redis:redis-cart", {})
        check(redis.get("unresolved") == ["count: unknown (var.memorystore ? 1 : 0)"],
              "online-boutique: Memorystore's count said unresolved: %s" % redis.get("unresolved"))
        notes = [x for x in ob["diagnostics"] if x["severity"] == "note" and "not followed" in x["message"]]
        check(len(notes) == 3, "online-boutique: 3 registry modules not followed: %s" % notes)
        check(not [f for f in ob["findings"] if f["rule"].startswith("TM-CLOUD")], "online-boutique: no TM-CLOUD finding")


def main():
    trustmap, src, root = sys.argv[1:4]
    fixture(trustmap, src)
    skipped = not os.path.isdir(os.path.join(root, "sock-shop"))
    if skipped:
        print("SKIPPED (corpus part): %s not found" % root)
    else:
        corpus(trustmap, root)
    if failures:
        print("%d failures" % len(failures))
        return 1
    return 77 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
