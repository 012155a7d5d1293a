#!/usr/bin/env python3
"""Secrets as nodes, end to end: a secret's readers and users in the JSON report, reads and granted
edges, attack paths from a workload through a service-account token Secret, no written value in any
report format, readers of thousands of secrets within bounds, and (when ../shared/corpus is there)
no high TM-SEC-003/004/005 finding on the well-run systems. Usage: secrets_nodes.py TRUSTMAP SOURCE_DIR [CORPUS]"""
import json
import os
import subprocess
import sys
import tempfile
import time

os.environ["TRUSTMAP_STORE"] = "none"
NEW = ("TM-SEC-003", "TM-SEC-004", "TM-SEC-005")


def run(tm, *args):
    r = subprocess.run([tm, *args], capture_output=True, text=True, check=False)
    if r.returncode not in (0, 1):
        raise RuntimeError("%s exited %d: %s" % (args, r.returncode, r.stderr[-400:]))
    return r.stdout


def scan(tm, d, fmt="json"):
    out = run(tm, "scan", d, "--no-store", "--format", fmt)
    return json.loads(out) if fmt == "json" else out


def check_token_case(tm, src, bad):
    case = os.path.join(src, "tests", "golden", "rules", "TM-SEC-005", "fire-token")
    j = scan(tm, case)
    nodes = {n["id"]: n for n in j["model"]["nodes"]}
    tok = nodes.get("secret:k8s:app/deployer-token", {})
    if tok.get("readers") != ["identity:k8s:app/api"] or tok.get("token_of") != ["identity:k8s:app/deployer"]:
        bad.append("token secret: readers/token_of wrong: %s" % tok)
    if nodes.get("secret:k8s:app/api-tls", {}).get("used_by") != ["service:app/api"]:
        bad.append("api-tls: used_by wrong: %s" % nodes.get("secret:k8s:app/api-tls"))
    edges = {(e["from"], e["to"], e["kind"]): e for e in j["model"]["edges"]}
    rd = edges.get(("identity:k8s:app/api", "secret:k8s:app/deployer-token", "reads"))
    if not rd or rd.get("verbs") != ["get"] or not rd["evidence"] or rd["evidence"][0]["line"] != 52:
        bad.append("reads edge wrong: %s" % rd)
    if ("secret:k8s:app/deployer-token", "identity:k8s:app/deployer", "granted") not in edges:
        bad.append("no granted edge from the token secret to its account")
    paths = run(tm, "paths", "--from", "workload:app/api", case)
    if "secret:k8s:app/deployer-token  (reads secret" not in paths:
        bad.append("paths do not reach the token secret through the reads edge:\n" + paths)
    md = scan(tm, case, "md")
    if "### Secrets" not in md or "| `secret:k8s:app/deployer-token` | kubernetes-secret |" not in md:
        bad.append("the Markdown report has no Secrets table with the token secret")


def check_no_values(tm, src, bad):
    """Values are judged, never written: not in JSON, Markdown, SARIF or HTML."""
    for case, values in (("fire", ["correct-horse-battery-staple"]),
                         ("fire-data-base64", ["czNjcjN0LVBhNTV3MHJk", "s3cr3t-Pa55w0rd"])):
        d = os.path.join(src, "tests", "golden", "rules", "TM-SEC-003", case)
        for fmt in ("json", "md", "sarif", "html"):
            out = run(tm, "scan", d, "--no-store", "--format", fmt)
            for v in values:
                if v in out:
                    bad.append("%s %s: the value %s is in the report" % (case, fmt, v))


def check_scale(tm, bad):
    """100 namespaces of 50 Secrets, a reader in each, a cluster-wide reader, named grants: every
    reads edge is made, within bounds (a per-namespace index, never a walk per grant)."""
    docs = []
    for n in range(100):
        ns = "ns%d" % n
        docs.append("apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}" % ns)
        for s in range(50):
            docs.append("apiVersion: v1\nkind: Secret\nmetadata: {name: s%d, namespace: %s}\nstringData: {k: \"<x>\"}"
                        % (s, ns))
        docs.append("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: %s}\n"
                    "spec:\n  template:\n    spec:\n      serviceAccountName: app\n"
                    "      containers: [{name: app, image: app, volumeMounts: [{name: v, mountPath: /etc/v}]}]\n"
                    "      volumes: [{name: v, secret: {secretName: s0}}]" % ns)
        docs.append("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: %s}\n"
                    "rules: [{apiGroups: [\"\"], resources: [secrets], verbs: [list]},"
                    " {apiGroups: [\"\"], resources: [secrets], resourceNames: [s1, s2], verbs: [get]}]" % ns)
        docs.append("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb, namespace: %s}\n"
                    "roleRef: {kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: app, namespace: %s}]"
                    % (ns, ns))
    docs.append("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: all}\n"
                "rules: [{apiGroups: [\"\"], resources: [secrets], verbs: [get, list, watch]}]")
    docs.append("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: all}\n"
                "roleRef: {kind: ClusterRole, name: all}\nsubjects: [{kind: User, name: auditor}]")
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "estate.yaml"), "w") as f:
            f.write("\n---\n".join(docs) + "\n")
        t = time.time()
        j = scan(tm, d)
        took = time.time() - t
    reads = sum(1 for e in j["model"]["edges"] if e["kind"] == "reads")
    if reads != 100 * 50 * 2:  # each namespace's reader, and the auditor, reach every secret
        bad.append("scale: %d reads edges, expected %d" % (reads, 100 * 50 * 2))
    sec5 = [f for f in j["findings"] if f["rule"] == "TM-SEC-005"]
    # one identity per namespace: the namespaces' findings fold into one for the system, listing each
    members = sec5[0].get("affected", []) if len(sec5) == 1 else []
    if len(members) != 100 or not all("can read 49 secrets" in m["title"] for m in members):
        bad.append("scale: TM-SEC-005 %d findings, %d members: %s" % (len(sec5), len(members), str(sec5[:1])[:400]))
    if took > 60:
        bad.append("scale: %.1f s for 5,000 secrets" % took)
    print("scale: 5,000 secrets, %d reads edges in %.1f s" % (reads, took))


def check_corpus(tm, corpus, bad):
    if not corpus or not os.path.isdir(corpus):
        print("skipped the corpus part: %s is absent" % (corpus or "../shared/corpus"))
        return
    for system in ("online-boutique", "podinfo", "sock-shop"):
        d = os.path.join(corpus, system)
        if not os.path.isdir(d):
            print("skipped %s: absent" % system)
            continue
        j = scan(tm, d)
        high = [f["title"] for f in j["findings"] if f["rule"] in NEW and f["severity"] in ("high", "critical")]
        if high:
            bad.append("%s: high secret findings on a well-run system: %s" % (system, high))
        print("%s: %d TM-SEC-003/004/005 findings, none high" %
              (system, sum(1 for f in j["findings"] if f["rule"] in NEW)))


def main():
    tm, src = sys.argv[1], sys.argv[2]
    corpus = sys.argv[3] if len(sys.argv) > 3 else None
    bad = []
    check_token_case(tm, src, bad)
    check_no_values(tm, src, bad)
    check_scale(tm, bad)
    check_corpus(tm, corpus, bad)
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
