#!/usr/bin/env python3
"""The rule registry's own test, and every rule's golden cases.

Registry: ids unique and well-formed, every field filled, a page in docs/rules/.
Cases: tests/golden/rules/<ID>/fire/ must produce a finding of rule ID, and
tests/golden/rules/<ID>/quiet/ must not (the same system with the flaw fixed).
Usage: run_rules.py TRUSTMAP SOURCE_DIR"""
import json
import os
os.environ.setdefault("TRUSTMAP_STORE", "none")  # no register written into the source tree
import re
import subprocess
import sys


def findings(trustmap, path):
    p = subprocess.run([trustmap, "scan", "--format", "json", path], capture_output=True, text=True)
    if p.returncode not in (0,):
        raise RuntimeError("scan %s exited %d: %s" % (path, p.returncode, p.stderr[-400:]))
    d = json.loads(p.stdout)
    # a case that does not parse proves nothing: every file must be an input, without problems
    bad = [x for x in d["diagnostics"] if x["severity"] in ("error", "warning")]
    if bad or d["skipped"]:
        raise RuntimeError("inputs not clean: %s %s" % (bad[:2], d["skipped"][:2]))
    return d["findings"]


def main():
    trustmap, src = sys.argv[1:3]
    rules = json.loads(subprocess.run([trustmap, "rules", "--format", "json"], capture_output=True,
                                      text=True, check=True).stdout)["rules"]
    failed = 0
    ids = [r["id"] for r in rules]
    if len(set(ids)) != len(ids):
        print("FAIL: duplicate rule ids")
        failed += 1
    for r in rules:
        rid = r["id"]
        if not re.match(r"^TM-[A-Z]+-\d{3}$", rid):
            print("FAIL: %s: id is not TM-FAMILY-NNN" % rid)
            failed += 1
        for field in ("title", "severity", "layer", "action", "what", "why", "fix", "detect"):
            if not r.get(field):
                print("FAIL: %s: %s is empty" % (rid, field))
                failed += 1
        if not r["stride"]:
            print("FAIL: %s: no STRIDE category" % rid)
            failed += 1
        if not os.path.exists(os.path.join(src, "docs", "rules", rid + ".md")):
            print("FAIL: %s: no docs/rules/%s.md" % (rid, rid))
            failed += 1
        case = os.path.join(src, "tests", "golden", "rules", rid)
        for kind, want in (("fire", True), ("quiet", False)):
            d = os.path.join(case, kind)
            if not os.path.isdir(d):
                print("FAIL: %s: no golden case %s/" % (rid, kind))
                failed += 1
                continue
            try:
                got = [f for f in findings(trustmap, d) if f["rule"] == rid]
            except RuntimeError as e:
                print("FAIL: %s %s: %s" % (rid, kind, e))
                failed += 1
                continue
            if bool(got) != want:
                failed += 1
                print("FAIL: %s %s: %s" % (rid, kind, "no finding" if want else
                                            "fired: " + "; ".join(f["title"] for f in got)))
    print("%d rules, %d failures" % (len(rules), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
