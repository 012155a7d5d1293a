#!/usr/bin/env python3
"""examples/variants: a kustomize base with two overlays and a chart of one service, scanned as a user
would. Each variant is a system: the prod overlay exposes the Service through a LoadBalancer and
lacks the deny-all component staging has (TM-MESH-006 there, not in staging); the chart's NodePort
is exposed too; the rendered documents are counted; --system picks one.
Usage: variants_example.py TRUSTMAP SOURCE_DIR"""
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


def scan(t, path, *opts):
    p = subprocess.run([t, "scan", "--format", "json", "-q"] + list(opts) + [path], capture_output=True, text=True)
    check(p.returncode in (0, 1), "scan exited %d: %s" % (p.returncode, p.stderr[-400:]))
    return json.loads(p.stdout) if p.stdout.strip() else None


def main():
    t, src = sys.argv[1:3]
    ex = os.path.join(src, "examples", "variants")
    d = scan(t, ex)
    if not d:
        return 1
    first = dict(d["systems"][0], model=d["model"], findings=d["findings"], exposure=d["exposure"])
    systems = {s["variant"]: s for s in [first] + d["systems"][1:]}
    check(sorted(systems) == ["chart", "overlays/prod", "overlays/staging"], "systems: %s" % sorted(systems))
    prod, staging, chart = systems.get("overlays/prod"), systems.get("overlays/staging"), systems.get("chart")
    if prod and staging and chart:
        check(prod["exposure"].get("service:prod/web") == "internet", "prod's LoadBalancer exposes web: %s" % prod["exposure"])
        check(staging["exposure"].get("service:staging/web") == "none",
              "staging's deny-all isolates web (no one may call it): %s" % staging["exposure"])
        check(chart["exposure"].get("service:prod/web") == "internet", "the chart's NodePort exposes web: %s" % chart["exposure"])
        rules = lambda s: {f["rule"] for f in s["findings"]}
        check("TM-MESH-006" in rules(prod), "prod lacks a default deny: TM-MESH-006")
        check("TM-MESH-006" not in rules(staging), "staging has the deny-all component: no TM-MESH-006")
    check(sum(i["documents"] for i in d["inputs"]) >= 3, "the rendered documents are counted: %s" % d["inputs"])
    one = scan(t, ex, "--system", "overlays/prod")
    check(one and [s["variant"] for s in one["systems"]] == ["overlays/prod"], "--system picks one variant")
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
