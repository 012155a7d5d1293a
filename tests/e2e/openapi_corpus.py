#!/usr/bin/env python3
"""Acceptance on real specs: every OpenAPI spec of ../shared/corpus/openapi-vendors loads with no
error diagnostic, and trustmap's endpoint count per spec equals the `operations` column of
_derived/specs.tsv. Skips, saying so, when the corpus is absent.

One documented deviation: sendgrid/oas_v3.json lists 0 operations in specs.tsv because every path
item there is a $ref into spec/paths/; trustmap follows them and finds 355 (checked by hand)."""
import os
os.environ.setdefault("TRUSTMAP_STORE", "none")  # no register written into the source tree
import collections, csv, json, os, subprocess, sys, tempfile

DEVIATIONS = {"sendgrid/oas_v3.json": 355}

def main():
    trustmap, corpus = sys.argv[1], sys.argv[2]
    vendors = os.path.join(corpus, "openapi-vendors")
    table = os.path.join(vendors, "_derived", "specs.tsv")
    if not os.path.exists(table):
        print(f"corpus not found at '{corpus}': skipping the openapi-vendors acceptance test")
        print("0 passed, 0 failed")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        rc = subprocess.run([trustmap, "scan", vendors, "--format", "json", "-o", out],
                            stderr=subprocess.PIPE).returncode
        if rc != 0:
            print(f"FAIL: scan exited {rc}")
            print("0 passed, 1 failed")
            return 1
        report = json.load(open(out))
    count = collections.Counter(n["spec"] for n in report["model"]["nodes"] if n["kind"] == "endpoint")
    passed = failed = 0
    for row in csv.DictReader(open(table), delimiter="\t"):
        want = DEVIATIONS.get(row["file"], int(row["operations"]))
        got = count.get(row["file"], 0)
        if got == want:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {row['file']}: {got} endpoints, expected {want}")
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    for d in errors:
        print(f"FAIL: {d['path']}:{d['line']}:{d['column']}: {d['message']}")
    failed += len(errors)
    passed += not errors
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
