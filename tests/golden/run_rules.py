#!/usr/bin/env python3
"""The rule registry's own test, and every rule's golden cases.

Registry: ids unique and well-formed, every field filled, a page in docs/rules/.
Cases: tests/golden/rules/<ID>/fire/ must produce a finding of rule ID, and
tests/golden/rules/<ID>/quiet/ must not (the same system with the flaw fixed); further shapes real
projects take sit beside them as fire-NAME/ (must fire) and quiet-NAME/ (must not). A firing case's
title.txt pins what its finding says (see titles_ok).
Usage: run_rules.py TRUSTMAP SOURCE_DIR"""
import json
import os
os.environ.setdefault("TRUSTMAP_STORE", "none")  # no register written into the source tree
import re
import subprocess
import sys


# The primary location (the first evidence, "path:line" relative to the case) of each rule's finding
# on its fire case: the line that states the fact the rule judges (for drift, the runtime observation;
# for an allowed path never used, the declared call).
PRIMARY = {
    "TM-MESH-004": "app.yaml:24",
    "TM-DRIFT-001": "runtime/flows.json:1",
    "TM-DRIFT-002": "runtime/flows.json:1",
    "TM-DRIFT-003": "runtime/flows.json:1",
    "TM-DRIFT-004": "runtime/flows.json:1",
    "TM-DRIFT-005": "k8s.yaml:31",
    "TM-DRIFT-006": "k8s.yaml:18",
    "TM-API-001": "api.yaml:8",
    "TM-API-002": "api.yaml:8",
    "TM-API-003": "api.yaml:6",
    "TM-API-004": "api.yaml:8",
    "TM-API-005": "api.yaml:8",
    "TM-API-006": "api.yaml:8",
    "TM-API-007": "api.yaml:8",
    "TM-API-008": "api.yaml:8",
    "TM-API-009": "api.yaml:8",
    "TM-API-010": "api.yaml:8",
    "TM-API-011": "api.yaml:8",
    "TM-API-012": "api.yaml:7",
    "TM-API-013": "api.yaml:7",
    "TM-API-014": "api.yaml:14",
    "TM-ASYNC-001": "events.yaml:7",
    "TM-ASYNC-002": "events.yaml:7",
    "TM-ASYNC-003": "events.yaml:7",
    "TM-BIZ-001": "api.yaml:8",
    "TM-BIZ-002": "api.yaml:8",
    "TM-BIZ-003": "api.yaml:8",
    "TM-BIZ-004": "api.yaml:7",
    "TM-BIZ-005": "api.yaml:7",
    "TM-CICD-001": ".github/workflows/ci.yml:13",
    "TM-CICD-002": ".github/workflows/ci.yml:11",
    "TM-CICD-003": ".github/workflows/ci.yml:6",
    "TM-CICD-004": ".github/workflows/ci.yml:12",
    "TM-CICD-005": ".github/workflows/ci.yml:16",
    "TM-CICD-006": ".github/workflows/ci.yml:7",
    "TM-CICD-007": ".github/workflows/ci.yml:14",
    "TM-CICD-008": ".github/workflows/ci.yml:13",
    "TM-CICD-009": ".github/workflows/ci.yml:10",
    "TM-CLOUD-001": "plan.json:13",
    "TM-CLOUD-002": "plan.json:22",
    "TM-CLOUD-003": "plan.json:21",
    "TM-CLOUD-004": ".github/workflows/deploy.yml:14",
    "TM-CLOUD-005": "network.tf:19",
    "TM-CTR-001": "app.yaml:14",
    "TM-CTR-002": "app.yaml:18",
    "TM-CTR-003": "app.yaml:18",
    "TM-CTR-004": "app.yaml:16",
    "TM-CTR-005": "app.yaml:15",
    "TM-DATA-001": "trustmap.yaml:4",
    "TM-DATA-002": "app.yaml:16",
    "TM-ID-001": "app.yaml:41",
    "TM-ID-002": "app.yaml:12",
    "TM-ID-003": "app.yaml:5",
    "TM-ID-004": "app.yaml:34",
    "TM-ID-005": "app.yaml:29",
    "TM-MESH-001": "mesh.yaml:5",
    "TM-MESH-002": "mesh.yaml:5",
    "TM-MESH-003": "app.yaml:27",
    "TM-MESH-005": "app.yaml:34",
    "TM-MESH-006": "app.yaml:5",
    "TM-MESH-007": "compose.yaml:13",
    "TM-MESH-008": "compose.yaml:10",
    "TM-MESH-009": "app.yaml:14",
    "TM-MESH-010": "mesh.yaml:15",
    "TM-MESH-011": "app.yaml:13",
    "TM-MESH-012": "compose.yaml:11",
    "TM-MESH-013": "app.yaml:29",
    "TM-MESH-014": "compose.yaml:6",
    "TM-MESH-015": "controller.yaml:8",
    "TM-PATH-001": "app.yaml:23",
    "TM-SEC-001": "app.yaml:20",
    "TM-SEC-002": "app.yaml:20",
    "TM-SEC-003": "app.yaml:33",
    "TM-SEC-004": "app.yaml:23",
    "TM-SEC-005": "app.yaml:62",
    "TM-SEC-007": ".env.example:2",
}


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


def titles_ok(rid, kind, d, got):
    """A case's title.txt pins what the finding says: "+text" must be in a title of the rule's
    findings, "-text" in none, "=severity" is the severity of the first, "@path:line" its primary location,
    "%text" in one of the first's priority factors (what weighed it: admission control), "^text" in none."""
    ok = True
    for line in open(os.path.join(d, "title.txt")).read().splitlines():
        op, text = line[:1], line[1:]
        titles = [f["title"] for f in got]
        ev = got[0]["evidence"]
        at = "%s:%d" % (ev[0]["path"], ev[0]["line"]) if ev else "-"
        bad = (op == "+" and not any(text in t for t in titles)) or \
              (op == "-" and any(text in t for t in titles)) or (op == "=" and got[0]["severity"] != text) or \
              (op == "@" and at != text) or \
              (op == "%" and not any(text in pf for pf in got[0].get("priority_factors", []))) or \
              (op == "^" and any(text in pf for pf in got[0].get("priority_factors", [])))
        if bad:
            print("FAIL: %s %s: %s not satisfied by %s" % (rid, kind, line, [(f["severity"], t) for f, t in
                                                                        zip(got, titles)]))
            ok = False
    return ok


def check_fold(trustmap, src):
    """The same CI fact in two workflow files of one repository is one finding listing both; one file
    alone keeps its own finding (same fingerprint as before folding existed)."""
    import shutil
    import tempfile
    case = os.path.join(src, "tests", "golden", "rules", "TM-CICD-002", "fire")
    alone = [f for f in findings(trustmap, case) if f["rule"] == "TM-CICD-002"]
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(case, tmp, dirs_exist_ok=True)
        wf = os.path.join(tmp, ".github", "workflows")
        shutil.copy(os.path.join(wf, "ci.yml"), os.path.join(wf, "release.yml"))
        got = [f for f in findings(trustmap, tmp) if f["rule"] == "TM-CICD-002"]
    bad = 0
    if len(alone) != 1 or alone[0].get("affected") or alone[0]["subject"] != "pipeline:.github/workflows/ci.yml":
        print("FAIL: fold: a lone workflow's finding is folded: %s" % alone)
        bad += 1
    if len(got) != 1 or got[0]["subject"] != "workflows:.github/workflows" or \
            [a["node"] for a in got[0].get("affected", [])] != ["pipeline:.github/workflows/ci.yml",
                                                             "pipeline:.github/workflows/release.yml"] or \
            not got[0]["title"].startswith("2 workflows in .github/workflows ") or \
            alone and got[0]["affected"][0]["fingerprint"] != alone[0]["fingerprint"] or \
            got[0]["affected"][1]["evidence"]["path"] != ".github/workflows/release.yml":
        print("FAIL: fold: two workflows with unpinned actions: %s" % json.dumps(got)[:600])
        bad += 1
    return bad


def check_wide_fold(trustmap, src):
    """A rule's folds in two namespaces fold again: one finding for the system listing every workload,
    each member keeping its own fingerprint and, when it stood in a namespace's fold, that fold's;
    decisions made on the namespace's fold and on the lone finding carry over to the wide one."""
    import shutil
    import tempfile
    base = open(os.path.join(src, "tests", "golden", "rules", "TM-CTR-004", "fire", "app.yaml")).read()
    twice = base + "---\n" + base.split("---\n", 1)[1].replace("name: api,", "name: api2,")
    other = base.replace("namespace: app}", "namespace: app2}").replace("{name: app,", "{name: app2,")
    bad = 0

    def ctr004(tmp, files):
        for old in os.listdir(tmp):
            os.remove(os.path.join(tmp, old))
        for name, text in files.items():
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
        return [f for f in findings(trustmap, tmp) if f["rule"] == "TM-CTR-004"]

    with tempfile.TemporaryDirectory() as tmp:
        ns_fold = ctr004(tmp, {"app.yaml": twice})
        lone = ctr004(tmp, {"app2.yaml": other})
        wide = ctr004(tmp, {"app.yaml": twice, "app2.yaml": other})
        if len(ns_fold) != 1 or ns_fold[0]["subject"] != "namespace:app" or len(lone) != 1 or lone[0].get("affected"):
            print("FAIL: wide fold: the narrower shapes changed: %s %s" % (ns_fold, lone))
            return 1
        w = wide[0] if len(wide) == 1 else {}
        members = {(a["node"], a.get("fold_fingerprint")) for a in w.get("affected", [])}
        want = {("service:app/api", ns_fold[0]["fingerprint"]), ("service:app/api2", ns_fold[0]["fingerprint"]),
                ("service:app2/api", None)}
        if len(wide) != 1 or w["subject"] != "system" or members != want or \
                not w["title"].startswith("3 workloads in 2 namespaces (app, app2) use images") or \
                [a["fingerprint"] for a in w["affected"] if a["node"] == "service:app2/api"] != [lone[0]["fingerprint"]]:
            print("FAIL: wide fold: two namespaces' unpinned images: %s" % json.dumps(wide)[:800])
            bad += 1
        accept = "accepted:\n" + "".join(
            "  - {fingerprint: %s, owner: team-a, rationale: base images are pinned by the registry, expires: 2099-01-01}\n"
            % fp for fp in (ns_fold[0]["fingerprint"], lone[0]["fingerprint"]))
        decided = ctr004(tmp, {"app.yaml": twice, "app2.yaml": other, "trustmap.yaml": accept})
        half = ctr004(tmp, {"app.yaml": twice, "app2.yaml": other, "trustmap.yaml": accept.rsplit("  - ", 1)[0]})
        if [f["status"] for f in decided] != ["accepted"] or [f["status"] for f in half] != ["open"]:
            print("FAIL: wide fold: decisions on the narrower folds do not carry over: %s / %s"
                  % ([f["status"] for f in decided], [f["status"] for f in half]))
            bad += 1
    return bad


def check_service_fold(trustmap, src):
    """One service's high and critical folds of one rule fold into one finding for the service, whatever
    their severity: it takes the highest, each operation keeps its own severity and the fold it stood
    in, and decisions made on the narrower folds carry over."""
    import tempfile
    case = os.path.join(src, "tests", "golden", "rules", "TM-API-001", "fire")
    head = open(os.path.join(case, "api.yaml")).read().split("paths:")[0]
    k8s = {"k8s.yaml": open(os.path.join(case, "k8s.yaml")).read()}
    tail = "components:\n  securitySchemes:\n    bearer: {type: http, scheme: bearer}\n"
    op = ("  /%s/{id}:\n    %s:\n      security: []\n      parameters: [{name: id, in: path, required: true, "
          "schema: {type: string, format: uuid}}]\n      responses: {\"2XX\": {description: ok}}\n")
    writes = op % ("items", "delete") + op % ("orders", "delete")
    reads = op % ("admin/carts", "get") + op % ("admin/users", "get")  # an open admin read is high

    def api001(tmp, files):
        for old in os.listdir(tmp):
            os.remove(os.path.join(tmp, old))
        for name, text in dict(k8s, **files).items():
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
        return [f for f in findings(trustmap, tmp) if f["rule"] == "TM-API-001"]

    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        crit = api001(tmp, {"api.yaml": head + "paths:\n" + writes + tail})
        high = api001(tmp, {"api.yaml": head + "paths:\n" + reads + tail})
        both = api001(tmp, {"api.yaml": head + "paths:\n" + writes + reads + tail})
        if [f["severity"] for f in crit] != ["critical"] or [f["severity"] for f in high] != ["high"]:
            print("FAIL: service fold: the narrower shapes changed: %s %s" % (crit, high))
            return 1
        w = both[0] if len(both) == 1 else {}
        members = sorted((a.get("severity"), a.get("fold_fingerprint")) for a in w.get("affected", []))
        want = sorted([("critical", crit[0]["fingerprint"])] * 2 + [("high", high[0]["fingerprint"])] * 2)
        if len(both) != 1 or w["subject"] != "service:app/api" or w["severity"] != "critical" or members != want \
                or not w["title"].startswith("4 operations in service app/api need no credentials"):
            print("FAIL: service fold: a service's critical and high operations: %s" % json.dumps(both)[:800])
            bad += 1
        accept = "accepted:\n" + "".join(
            "  - {fingerprint: %s, owner: team-a, rationale: a public demo API, expires: 2099-01-01}\n" % fp
            for fp in (crit[0]["fingerprint"], high[0]["fingerprint"]))
        decided = api001(tmp, {"api.yaml": head + "paths:\n" + writes + reads + tail, "trustmap.yaml": accept})
        if [f["status"] for f in decided] != ["accepted"]:
            print("FAIL: service fold: decisions on the narrower folds do not carry over: %s"
                  % [f["status"] for f in decided])
            bad += 1
    return bad


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
        # fire/ and quiet/, then any further shapes: fire-NAME/ must fire, quiet-NAME/ must not
        extra = sorted(x for x in os.listdir(case) if x.startswith(("fire-", "quiet-"))) if os.path.isdir(case) else []
        for kind, want in [("fire", True), ("quiet", False)] + [(x, x.startswith("fire-")) for x in extra]:
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
            elif want and os.path.exists(os.path.join(d, "title.txt")) and not titles_ok(rid, kind, d, got):
                failed += 1
            elif want and rid in PRIMARY and kind == "fire":
                ev = got[0]["evidence"]
                at = "%s:%d" % (ev[0]["path"], ev[0]["line"]) if ev else "-"
                if at != PRIMARY[rid]:
                    failed += 1
                    print("FAIL: %s fire: primary location %s, expected %s" % (rid, at, PRIMARY[rid]))
    failed += check_fold(trustmap, src)
    failed += check_wide_fold(trustmap, src)
    failed += check_service_fold(trustmap, src)
    print("%d rules, %d failures" % (len(rules), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
