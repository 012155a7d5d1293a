#!/usr/bin/env python3
"""Golden tests for `trustmap query`: tests/golden/query/<case>/queries.tsv lists
query arguments, the expected outcome (or `error` for an unknown name: exit 2)
and the policy expected to decide (or -), evaluated on <case>/input (or the directory named in <case>/input.path).
Usage: run_query.py TRUSTMAP CASE_DIR"""
import json
import os
import shlex
import subprocess
import sys


def main():
    trustmap, case = sys.argv[1:3]
    inp = os.path.join(case, "input")
    if os.path.exists(os.path.join(case, "input.path")):  # the input of another golden case
        with open(os.path.join(case, "input.path")) as f:
            inp = os.path.normpath(os.path.join(case, f.read().strip()))
    failed = n = 0
    with open(os.path.join(case, "queries.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            args, want, policy = line.rstrip("\n").split("\t")
            n += 1
            cmd = [trustmap, "query"] + shlex.split(args) + ["--format", "json", inp]
            p = subprocess.run(cmd, capture_output=True, text=True)
            if want == "error":
                if p.returncode != 2 or not p.stderr.startswith("trustmap: query:"):
                    failed += 1
                    print("FAIL: %s: want exit 2 with a message, got %d %r" % (args, p.returncode, p.stderr))
                continue
            if p.returncode not in (0, 1):
                failed += 1
                print("FAIL: %s: exit %d: %s" % (args, p.returncode, p.stderr))
                continue
            got = json.loads(p.stdout)
            if "callers" in got:
                sources = ",".join(c["source"] for c in got["callers"]) or "-"
                if sources != want:
                    failed += 1
                    print("FAIL: %s: want callers %s, got %s" % (args, want, sources))
                continue
            by = got["decided_by"]["policy"] if got["decided_by"] else "-"
            if got["outcome"] != want or by != policy or (p.returncode == 0) != got["allowed"]:
                failed += 1
                print("FAIL: %s: want %s by %s, got %s by %s (exit %d): %s" % (
                    args, want, policy, got["outcome"], by, p.returncode, got["reason"]))
    print("%d queries, %d failed" % (n, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
