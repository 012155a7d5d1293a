#!/usr/bin/env python3
"""The istio.io security tasks as golden tests for `trustmap query can`.

Reads the documented outcome of every request after every policy step from the
corpus (../shared/corpus/istio/_derived/istio.io-security-tasks/expected_outcomes.tsv),
applies that step's policies (tests/golden/istio-tasks/steps.tsv) on top of the
tasks' workloads (tests/golden/istio-tasks/base/), asks trustmap, and compares.
Exits 77 (skipped) when the corpus is absent. Usage: istio_tasks.py TRUSTMAP FIXTURES CORPUS
"""
import json
import os
import re
import subprocess
import sys


def request_args(src, dst, req):
    args = []
    dst = {"ingressgateway": "istio-system/istio-ingressgateway"}.get(dst, dst)
    m = re.match(r"TCP port (\d+)", req)
    if m:
        return ["can", src, dst, "--tcp", "--port", m.group(1)]
    m = re.match(r"(GET|POST|PUT|DELETE|PATCH) (\S+)(.*)$", req)
    if not m:
        raise ValueError("cannot read request %r" % req)
    args = ["can", "internet" if src == "external" else src, dst, "--method", m.group(1), "--path", m.group(2)]
    rest = m.group(3).strip()
    hm = re.match(r"([A-Za-z0-9-]+): (\S+)", rest)
    if hm:
        args += ["--header", "%s: %s" % (hm.group(1), hm.group(2))]
    if "Bearer" in rest:
        args += ["--token", "invalid"]
    elif "valid demo.jwt" in rest or "demo.jwt, no groups" in rest:
        args += ["--token", "valid"]
    elif "groups-scope.jwt" in rest:
        args += ["--token", "valid"]
        gm = re.search(r"groups \[([^\]]*)\]", rest)
        for g in (gm.group(1).split(",") if gm else []):
            args += ["--claim", "groups=" + g.strip()]
    return args


def expected_outcome(text):
    if text.startswith("000"):
        return "reset"
    return text.split()[0]


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    trustmap, fixtures, corpus = sys.argv[1:]
    if not os.path.exists(corpus):
        print("SKIP: corpus table %s is absent" % corpus)
        return 77
    steps = {}
    with open(os.path.join(fixtures, "steps.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            task, state, parts = line.rstrip("\n").split("\t")
            steps[(task, state)] = [] if parts == "-" else parts.split(",")
    rows = failed = skipped = 0
    with open(corpus) as f:
        header = f.readline()
        assert header.startswith("task\t"), header
        for line in f:
            task, state, src, dst, req, expected = line.rstrip("\n").split("\t")
            rows += 1
            if " x" in expected and "then" in expected:
                # a token expiring during the test: time, not policy, decides
                skipped += 1
                continue
            if (task, state) not in steps:
                print("FAIL: no fixture for step %r / %r" % (task, state))
                failed += 1
                continue
            roots = [os.path.join(fixtures, "base")] + [
                os.path.join(fixtures, "policies", p + ".yaml") for p in steps[(task, state)]]
            args = [trustmap, "query"] + request_args(src, dst, req) + ["--format", "json"] + roots
            p = subprocess.run(args, capture_output=True, text=True)
            if p.returncode not in (0, 1):
                print("FAIL: %s | %s | %s -> %s %s: exit %d\n%s" % (task, state, src, dst, req, p.returncode, p.stderr))
                failed += 1
                continue
            got = json.loads(p.stdout)
            want = expected_outcome(expected)
            if got["outcome"] != want:
                failed += 1
                print("FAIL: %s | %s | %s -> %s %s: want %s, got %s (%s)" % (
                    task, state, src, dst, req, want, got["outcome"], got["reason"]))
                for s in got["steps"]:
                    print("        %-22s %-7s %s" % (s["layer"], s["decision"], s["text"]))
    print("%d documented requests, %d checked, %d skipped (time-dependent), %d failed" % (
        rows, rows - skipped, skipped, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
