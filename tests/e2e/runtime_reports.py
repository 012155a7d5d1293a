#!/usr/bin/env python3
"""Runtime maps in the readers (issue 20): the HTML coverage block, `paths` and `query can` saying
which hops and calls were declared, observed or both, the register's history of the coverage
figures, and `diff` of two runtime exports. Each check runs on the example with the scenario's
Hubble export (tests/e2e/runtime-scenario) and on the plain example, which must keep its shape.
Usage: runtime_reports.py TRUSTMAP SOURCE_DIR"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

failed = []


def check(cond, what):
    if not cond:
        failed.append(what)


def run(trustmap, *args, env=None, ok=(0, 1)):
    p = subprocess.run([trustmap, *args], capture_output=True, text=True, env=env)
    if p.returncode not in ok:
        failed.append("%s exited %d: %s" % (" ".join(args), p.returncode, p.stderr[-300:]))
    return p.stdout


def main():
    trustmap, src = (os.path.abspath(a) for a in sys.argv[1:3])
    env = dict(os.environ, TRUSTMAP_STORE="none")
    flows = os.path.join(src, "tests", "e2e", "runtime-scenario", "runtime", "flows.json")
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "plain", "shop")
        live = os.path.join(tmp, "live", "shop")
        shutil.copytree(os.path.join(src, "examples", "shop"), plain)
        shutil.copytree(os.path.join(src, "examples", "shop"), live)
        shutil.copytree(os.path.join(src, "tests", "e2e", "runtime-scenario"), live, dirs_exist_ok=True)
        tm = lambda *a, **k: run(trustmap, *a, env=k.pop("env", env), **k)

        # 1. the HTML report's coverage of the live architecture, only with a runtime export
        html = tm("scan", "--format", "html", live)
        check('<ul class="figures runtime"><li><b>2</b> of 4 observed calls declared</li>' in html, "html: runtime figures")
        check("<h3>Coverage of the live architecture</h3>" in html and "Calls observed: 4, of which the model declares 2" in html,
              "html: runtime coverage list")
        html = tm("scan", "--format", "html", plain)
        check("figures runtime" not in html and "Coverage of the live architecture" not in html,
              "html: runtime coverage without a runtime export")

        # 1b. the terminal summary: one runtime line only with an export; JSON summary.runtime keeps its window
        text = tm("scan", "-f", "summary", live)
        want = ("  runtime      4 services observed (4 in the model, 0 unknown), 4 calls (2 declared), "
                "50% of 4 requests on declared calls, 2026-03-02T10:00:01Z to 2026-03-02T10:00:05Z\n")
        check(want in text, "summary: the runtime line: %s" % [l for l in text.splitlines() if "runtime" in l])
        check("runtime" not in tm("scan", "-f", "summary", plain), "summary: no runtime line without an export")
        rt = json.loads(tm("scan", "--format", "json", live))["summary"]["runtime"]
        check(rt.get("window") == {"start": "2026-03-02T10:00:01Z", "end": "2026-03-02T10:00:05Z"},
              "json: summary.runtime.window: %s" % rt.get("window"))

        # 2. paths and query say declared / observed / both, only when the model holds observed calls
        p = json.loads(tm("paths", "--from", "workload:shop/orders", "--to", "service:shop/catalog", "--format", "json", live))
        hops = p["paths"][0]["hops"] if p["paths"] else []
        check(len(hops) == 2 and hops[1].get("seen") == "observed" and "seen" not in hops[0],
              "paths json: the undocumented call orders -> catalog is observed: %s" % hops)
        p = json.loads(tm("paths", "--from", "workload:shop/storefront", "--format", "json", live))
        seen = {h.get("seen") for t in p["paths"] for h in t["hops"][1:]}
        check("observed" in seen and "declared" in seen, "paths json: declared and observed hops: %s" % seen)
        # the call the policy denies but the runtime map saw is walked: storefront reaches payments directly
        hops = [h for t in p["paths"] for h in t["hops"][1:] if h.get("node") == "service:shop/payments"]
        check(any(h.get("seen") == "observed" and "observed at runtime" in json.dumps(h) for h in hops),
              "paths json: the denied but observed call storefront -> payments is a hop: %s" % hops)
        text = tm("paths", "--from", "workload:shop/orders", "--to", "service:shop/catalog", live)
        check("(calls; " in text and "; observed)" in text, "paths text: the observed mark")
        p = json.loads(tm("paths", "--from", "internet", "--format", "json", plain))
        check(all("seen" not in h for t in p["paths"] for h in t["hops"]), "paths json: no seen without observed calls")
        check("; declared)" not in tm("paths", "--from", "workload:shop/storefront", plain), "paths text: no mark without observed calls")

        q = json.loads(tm("query", "can", "shop/orders", "shop/catalog", "--format", "json", live))
        check(q.get("seen") == "observed" and (q.get("observed_at") or "").startswith("runtime/flows.json:"),
              "query json: orders -> catalog observed only: %s %s" % (q.get("seen"), q.get("observed_at")))
        q = json.loads(tm("query", "can", "shop/storefront", "shop/orders", "--format", "json", live))
        check(q.get("seen") == "declared", "query json: storefront -> orders declared, never observed: %s" % q.get("seen"))
        text = tm("query", "can", "shop/orders", "shop/catalog", live)
        check("seen: observed at runtime only, no file declares it (runtime/flows.json:" in text, "query text: seen line")
        q = json.loads(tm("query", "can", "shop/orders", "shop/catalog", "--format", "json", plain))
        check("seen" not in q and "observed_at" not in q, "query json: no seen without observed calls")
        check("seen:" not in tm("query", "can", "shop/storefront", "shop/orders", plain), "query text: no seen without observed calls")
        # who-can-call marks each caller's call the same way, only when the model holds an observed call
        w = json.loads(tm("query", "who-can-call", "shop/catalog", "--format", "json", live))
        seen = {c["source"]: (c.get("seen"), c.get("observed_at")) for c in w["callers"]}
        check(seen.get("service:shop/orders", (None, ""))[0] == "observed"
              and (seen["service:shop/orders"][1] or "").startswith("runtime/flows.json:")
              and seen.get("service:shop/storefront", (None,))[0] == "both"
              and all("seen" in c for c in w["callers"]), "who-can-call json: seen per caller: %s" % seen)
        text = tm("query", "who-can-call", "shop/catalog", live)
        check("service:shop/orders  direct" in text and "[seen: observed]" in text and "[seen: both]" in text,
              "who-can-call text: seen per caller")
        w = json.loads(tm("query", "who-can-call", "shop/catalog", "--format", "json", plain))
        check(all("seen" not in c and "observed_at" not in c for c in w["callers"]),
              "who-can-call json: no seen without observed calls")
        check("[seen:" not in tm("query", "who-can-call", "shop/catalog", plain), "who-can-call text: no seen without observed calls")

        # 3. the register keeps each run's runtime coverage; history shows it (one root: a run before
        # the export was added, one after)
        store = os.path.join(tmp, "reg.db")
        root = os.path.join(tmp, "reg", "shop")
        shutil.copytree(os.path.join(src, "examples", "shop"), root)
        tm("scan", "--store", store, root, env=os.environ)
        check("runtime_files" not in tm("history", "--store", store, "--format", "csv", root, env=os.environ, ok=(0,)),
              "history csv: no runtime columns when no run read an export")
        shutil.copytree(os.path.join(src, "tests", "e2e", "runtime-scenario"), root, dirs_exist_ok=True)
        tm("scan", "--store", store, root, env=os.environ)
        h = json.loads(tm("history", "--store", store, "--format", "json", root, env=os.environ, ok=(0,)))
        runs = h["runs"]
        check(len(runs) == 2 and "runtime" not in runs[0], "history json: no runtime for the run without export")
        rt = runs[-1].get("runtime", {})
        check(rt.get("files") == 1 and rt.get("calls_observed") == 4 and rt.get("calls_declared") == 2 and
              rt.get("services_known") == 4 and rt.get("declared_share_of_requests") == 0.5,
              "history json: the later run's runtime figures: %s" % rt)
        rows = list(csv.DictReader(io.StringIO(tm("history", "--store", store, "--format", "csv", root, env=os.environ, ok=(0,)))))
        check(len(rows) == 2 and rows[0].get("calls_observed") == "" and rows[1].get("calls_observed") == "4" and
              rows[1].get("requests_on_declared_calls") == "2",
              "history csv: runtime columns, empty for the run without export: %s" % rows)
        md = tm("history", "--store", store, root, env=os.environ, ok=(0,))
        check("Observed calls declared" in md and "| 0/4 | 2/4 | 50% |" in md and "| - | - | - |" in md,
              "history md: runtime columns")

        # 4. diff of two runtime exports: drift that appeared and disappeared, as changes
        lines = open(flows).read().splitlines(True)
        sides = {}
        for side, keep in (("base", (0, 2, 3, 4)), ("head", (0, 1, 3, 4))):
            root = os.path.join(tmp, side, "shop")
            shutil.copytree(os.path.join(src, "examples", "shop"), root)
            os.makedirs(os.path.join(root, "runtime"))
            with open(os.path.join(root, "runtime", "flows.json"), "w") as f:
                f.writelines(lines[i] for i in keep)
            sides[side] = root
        d = json.loads(tm("diff", sides["base"], sides["head"], "--format", "json"))
        ch = [(c["trigger"], c["text"]) for c in d["changes"]]
        want = [("new-observed-call", "service:shop/orders calls service:shop/catalog at runtime, and no file declares it"),
                ("observed-call-gone", "service:shop/storefront -> service:shop/payments is no longer observed at runtime "
                 "(no file declared it)")]
        check(ch == want, "diff json: changes %s, want %s" % (ch, want))
        md = tm("diff", sides["base"], sides["head"], "--format", "md")
        check("new-observed-call" in md and "observed-call-gone" in md, "diff md: the drift triggers")
        d = json.loads(tm("diff", sides["head"], sides["head"], "--format", "json"))
        check(d["changes"] == [], "diff json: the same export, no change")
    for f in failed:
        print("FAIL: " + f)
    print("runtime_reports: %d failed" % len(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
