#!/usr/bin/env python3
"""Declared versus observed on the example system (issue 20's scenario).

A copy of examples/shop gets tests/e2e/runtime-scenario/: a Hubble flow export (runtime/flows.json,
JSON Lines), one policy change (catalog's PeerAuthentication STRICT) and payments off the node's
network (the example's hostNetwork takes it out of what its NetworkPolicy isolates). The export holds one
undocumented call (orders -> catalog), one call the declared NetworkPolicy denies (storefront ->
payments), one plaintext call to the STRICT workload (storefront -> catalog, HTTP Cilium could
read) and leaves one declared, allowed call unused (storefront -> orders) while both ends were
observed. Each must yield exactly its drift finding, with the runtime line and the deciding policy
as evidence, and nothing else of the drift family.
Usage: runtime_scenario.py TRUSTMAP SOURCE_DIR"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

os.environ.setdefault("TRUSTMAP_STORE", "none")


def at(ev):
    return "%s:%d" % (ev["path"], ev["line"])


def main():
    trustmap, src = (os.path.abspath(a) for a in sys.argv[1:3])
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "shop")
        shutil.copytree(os.path.join(src, "examples", "shop"), root)
        shutil.copytree(os.path.join(src, "tests", "e2e", "runtime-scenario"), root, dirs_exist_ok=True)
        p = subprocess.run([trustmap, "scan", "--format", "json", root], capture_output=True, text=True, cwd=tmp)
        if p.returncode not in (0, 1):
            print("FAIL: scan exited %d: %s" % (p.returncode, p.stderr[-400:]))
            return 1
        d = json.loads(p.stdout)
    drift = [f for f in d["findings"] if f["rule"].startswith("TM-DRIFT-")]
    want = {
        ("TM-DRIFT-001", "service:shop/orders", "service:shop/catalog"): ["runtime/flows.json:2"],
        ("TM-DRIFT-002", "service:shop/storefront", "service:shop/payments"):
            ["k8s/network-policy.yaml:11", "runtime/flows.json:3"],
        ("TM-DRIFT-003", "service:shop/storefront", "service:shop/catalog"):
            ["istio/strict-catalog.yaml:2", "runtime/flows.json:4"],
        ("TM-DRIFT-005", "service:shop/storefront", "service:shop/orders"): ["k8s/storefront.yaml:31"],
    }
    got = {}
    for f in drift:
        got.setdefault((f["rule"], f["path"][0], f["path"][-1]), []).append(f)
    for key, evidence in want.items():
        fs = got.get(key, [])
        if len(fs) != 1:
            failed.append("%s %s -> %s: %d findings, want 1" % (key + (len(fs),)))
            continue
        have = [at(e) for e in fs[0]["evidence"]]
        missing = [e for e in evidence if e not in have]
        if missing:
            failed.append("%s: evidence %s lacks %s" % (key[0], have, missing))
    for key in got:
        if key not in want:
            failed.append("unexpected %s %s -> %s: %s" % (key + (got[key][0]["title"],)))
    f2 = got.get(("TM-DRIFT-002", "service:shop/storefront", "service:shop/payments"))
    if f2 and "NetworkPolicy shop/payments-from-orders" not in f2[0]["title"]:
        failed.append("TM-DRIFT-002 does not name the policy: " + f2[0]["title"])
    f5 = got.get(("TM-DRIFT-005", "service:shop/storefront", "service:shop/orders"))
    snippet = f5[0]["action"].get("snippet", "") if f5 else ""
    if f5 and ("kind: AuthorizationPolicy" not in snippet or "matchLabels: {app: orders}" not in snippet):
        failed.append("TM-DRIFT-005 without the tightened AuthorizationPolicy: %r" % snippet)
    rt = d["summary"].get("runtime", {})
    if (rt.get("files"), rt.get("services_known"), rt.get("calls_observed"), rt.get("calls_declared")) != (1, 4, 4, 2):
        failed.append("summary.runtime: %s" % rt)
    for m in failed:
        print("FAIL: " + m)
    print("%d drift findings, %d failures" % (len(drift), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
