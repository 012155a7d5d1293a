#!/usr/bin/env python3
"""Runtime maps of the shared corpus (service-maps/): every export of observed traffic is recognised,
scanning never crashes, and the figures are printed (files recognised, calls, services mapped or not).

The files the corpus lists as service maps or traces are expected to be recognised, except four that
hold no observations in an export format: an Elasticsearch query and a bulk request of Jaeger's
storage tests, Jaeger's internal domain model, and an OTLP request (traces, not a service map).
Exit 77 (skipped) when the corpus is absent.
Usage: runtime_corpus.py TRUSTMAP CORPUS_DIR"""
import csv
import json
import os
import subprocess
import sys

os.environ.setdefault("TRUSTMAP_STORE", "none")

NOT_EXPORTS = {
    "jaeger/internal/storage/v2/elasticsearch/depstore/testdata/get_dependencies.json",
    "jaeger/internal/storage/v2/elasticsearch/depstore/testdata/write_dependencies.json",
    "jaeger/internal/uimodel/converter/v1/json/fixtures/domain_01.json",
    "jaeger/cmd/jaeger/internal/extension/jaegerquery/internal/fixture/otlp2jaeger-in.json",
}


def main():
    trustmap, corpus = sys.argv[1:3]
    root = os.path.join(corpus, "service-maps")
    inventory = os.path.join(root, "_derived", "inventory.tsv")
    if not os.path.exists(inventory):
        print("skipped: %s is absent (the shared corpus' service-maps)" % root)
        return 77
    with open(inventory) as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t")
                if r["category"].startswith(("service-map(", "trace("))]
    failed = []
    p = subprocess.run([trustmap, "scan", "--format", "json", root], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print("FAIL: scan of %s exited %d: %s" % (root, p.returncode, p.stderr[-400:]))
        return 1
    d = json.loads(p.stdout)
    kinds = {i["path"]: i["kinds"] for i in d["inputs"]}
    skipped = {s["path"]: s["reason"] for s in d["skipped"]}
    recognised = 0
    for r in rows:
        path = r["path"]
        ok = "runtime-map" in kinds.get(path, []) or skipped.get(path, "").startswith("runtime-map ")
        recognised += ok
        if not ok and path not in NOT_EXPORTS:
            failed.append("%s (%s) not recognised: %s" % (path, r["category"], skipped.get(path)))
        if ok and path in NOT_EXPORTS:
            failed.append("%s recognised, but holds no export: update NOT_EXPORTS" % path)
    errors = [g for g in d["diagnostics"] if g["severity"] == "error"]
    if errors:
        failed.append("errors: %s" % errors[:3])
    rt = d["summary"].get("runtime", {})
    # each file alone as well: a crash on one must not hide behind the directory scan
    for r in rows:
        q = subprocess.run([trustmap, "scan", "--format", "json", os.path.join(root, r["path"])],
                           capture_output=True, text=True)
        if q.returncode not in (0, 1):
            failed.append("%s: exit %d %s" % (r["path"], q.returncode, q.stderr[-200:]))
    print("%d of %d service-map and trace files recognised (%d hold no export); %s"
          % (recognised, len(rows), len(NOT_EXPORTS), json.dumps(rt, sort_keys=True)))
    for m in failed:
        print("FAIL: " + m)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
